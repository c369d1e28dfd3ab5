// Command proxy-oracle asks Go's own net/http which proxy it would use, for a table of environments and
// request URLs, and writes the answers as a JSON fixture for pullpath's tests.
//
// containers/image (and so skopeo 1.9.3, CRI-O, podman) sets Transport.Proxy = http.ProxyFromEnvironment.
// That function reads the environment once per process (sync.Once), so every case runs in a child process of
// this program with exactly that case's variables set. Nothing here re-implements Go's rules: the answers are
// Go's.
//
// Rerun (Go 1.19, the version skopeo 1.9.3 was built with):
//
//	cd tools/proxy-oracle && go run . cases.json > ../../test/fixtures/proxy/go-proxy-oracle.json
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"sort"
)

type caseIn struct {
	Name string            `json:"name"`
	Env  map[string]string `json:"env"`
	URLs []string          `json:"urls"`
}

// answer is what ProxyFromEnvironment returned for one URL.
type answer struct {
	URL string `json:"url"`
	// Proxy is nil when the request goes direct.
	Proxy *proxyURL `json:"proxy"`
	Error string    `json:"error,omitempty"`
}

type proxyURL struct {
	Scheme      string `json:"scheme"`
	Host        string `json:"host"`
	Hostname    string `json:"hostname"`
	Port        string `json:"port"`
	Username    string `json:"username,omitempty"`
	Password    string `json:"password,omitempty"`
	HasPassword bool   `json:"hasPassword,omitempty"`
	Path        string `json:"path,omitempty"`
}

type caseOut struct {
	Name    string            `json:"name"`
	Env     map[string]string `json:"env"`
	Answers []answer          `json:"answers"`
}

type fixture struct {
	GoVersion string    `json:"goVersion"`
	Generator string    `json:"generator"`
	Cases     []caseOut `json:"cases"`
}

// The variables a case may set; all are cleared in the child first.
var proxyVars = []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "REQUEST_METHOD"}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-child" {
		child(os.Args[2:])
		return
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: proxy-oracle cases.json > fixture.json")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	var in struct {
		DefaultURLs []string `json:"defaultUrls"`
		Cases       []caseIn `json:"cases"`
	}
	check(json.Unmarshal(raw, &in))
	cases := in.Cases
	self, err := os.Executable()
	check(err)
	out := fixture{GoVersion: runtime.Version(), Generator: "tools/proxy-oracle (http.ProxyFromEnvironment, one process per case)"}
	for _, c := range cases {
		if len(c.URLs) == 0 {
			c.URLs = in.DefaultURLs
		}
		cmd := exec.Command(self, append([]string{"-child"}, c.URLs...)...)
		cmd.Env = childEnv(c.Env)
		cmd.Stderr = os.Stderr
		b, err := cmd.Output()
		check(err)
		var answers []answer
		check(json.Unmarshal(b, &answers))
		out.Cases = append(out.Cases, caseOut{Name: c.Name, Env: c.Env, Answers: answers})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	check(enc.Encode(out))
}

func childEnv(env map[string]string) []string {
	skip := map[string]bool{}
	for _, v := range proxyVars {
		skip[v] = true
	}
	var list []string
	for _, kv := range os.Environ() {
		name := kv
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				name = kv[:i]
				break
			}
		}
		if !skip[name] {
			list = append(list, kv)
		}
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		list = append(list, k+"="+env[k])
	}
	return list
}

func child(urls []string) {
	answers := []answer{}
	for _, u := range urls {
		a := answer{URL: u}
		parsed, err := url.Parse(u)
		check(err)
		p, err := http.ProxyFromEnvironment(&http.Request{URL: parsed})
		if err != nil {
			a.Error = err.Error()
		}
		if p != nil {
			pw, has := p.User.Password()
			a.Proxy = &proxyURL{Scheme: p.Scheme, Host: p.Host, Hostname: p.Hostname(), Port: p.Port(), Username: p.User.Username(), Password: pw, HasPassword: has, Path: p.Path}
		}
		answers = append(answers, a)
	}
	check(json.NewEncoder(os.Stdout).Encode(answers))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
