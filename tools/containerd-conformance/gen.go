// Command gen records containerd's own answers for hosts.toml trees × references, for pullpath's conformance
// test (test/containerd/conformance.test.ts). It runs containerd's resolver code (remotes/docker/config
// ConfigureHosts + remotes/docker NewResolver) against a recording HTTP transport that answers 404 to every
// request, so each case yields exactly what containerd would contact while resolving, in order: the URL (scheme,
// host, path, ?ns=), the headers, and the TLS settings of the client; plus the full host list (capabilities
// included), the error ConfigureHosts returns, a panic, and the errors containerd logs ("failed to decode
// hosts.toml").
//
// Rerun (Debian: golang-go, golang-github-containerd-containerd-dev = containerd 1.6.20):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run tools/containerd-conformance/gen.go > test/fixtures/containerd-conformance/cases.json
package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/containerd/containerd/remotes/docker"
	"github.com/containerd/containerd/remotes/docker/config"
	"github.com/sirupsen/logrus"
)

const root = "/ROOT"

// A case: a hosts directory tree (directory name → hosts.toml text; "\x00" = directory without hosts.toml),
// extra files (relative to the root; content placeholders CA, CERT, KEY, CERTKEY), and references.
type caseIn struct {
	Name  string            `json:"name"`
	Tree  map[string]string `json:"tree"`
	Files map[string]string `json:"files,omitempty"`
	Refs  []string          `json:"refs"`
}

type hostOut struct {
	Scheme       string              `json:"scheme"`
	Host         string              `json:"host"`
	Path         string              `json:"path"`
	Capabilities []string            `json:"capabilities"`
	Header       map[string][]string `json:"header,omitempty"`
	SkipVerify   bool                `json:"skipVerify"`
	CustomCAs    bool                `json:"customCAs"`
	ClientCerts  int                 `json:"clientCerts"`
}

type attempt struct {
	Method string              `json:"method"`
	URL    string              `json:"url"`
	Header map[string][]string `json:"header,omitempty"`
}

type refOut struct {
	Ref         string    `json:"ref"`
	Hosts       []hostOut `json:"hosts,omitempty"`
	HostsError  string    `json:"hostsError,omitempty"`
	Panic       bool      `json:"panic,omitempty"`
	Attempts    []attempt `json:"attempts"`
	ResolveErr  string    `json:"resolveError,omitempty"`
	LoggedError []string  `json:"loggedErrors,omitempty"`
}

type caseOut struct {
	caseIn
	Results []refOut `json:"results"`
}

// recorder answers 404 to everything and remembers the requests of the resolve step.
type recorder struct{ attempts *[]attempt }

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	h := map[string][]string{}
	for k, v := range req.Header {
		if k == "User-Agent" || k == "Accept" {
			continue
		}
		h[k] = v
	}
	if len(h) == 0 {
		h = nil
	}
	*r.attempts = append(*r.attempts, attempt{Method: req.Method, URL: req.URL.String(), Header: h})
	return &http.Response{StatusCode: 404, Status: "404 Not Found", Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
}

func capNames(c docker.HostCapabilities) []string {
	out := []string{}
	if c.Has(docker.HostCapabilityPull) {
		out = append(out, "pull")
	}
	if c.Has(docker.HostCapabilityResolve) {
		out = append(out, "resolve")
	}
	if c.Has(docker.HostCapabilityPush) {
		out = append(out, "push")
	}
	return out
}

var pems = map[string][]byte{}

func makePEMs() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "conformance"}, NotBefore: time.Unix(0, 0), NotAfter: time.Unix(4e9, 0), IsCA: true, BasicConstraintsValid: true}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	kder, _ := x509.MarshalECPrivateKey(key)
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	k := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	pems["CA"] = cert
	pems["CERT"] = cert
	pems["KEY"] = k
	pems["CERTKEY"] = append(append([]byte{}, cert...), k...)
}

func runCase(c caseIn) caseOut {
	dir, err := os.MkdirTemp("", "ctrd-conf-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	for name, text := range c.Tree {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			panic(err)
		}
		if text != "\x00" {
			if err := os.WriteFile(filepath.Join(d, "hosts.toml"), []byte(strings.ReplaceAll(text, "@ROOT@", dir)), 0o644); err != nil {
				panic(err)
			}
		}
	}
	for name, content := range c.Files {
		p := filepath.Join(dir, name)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		data, ok := pems[content]
		if !ok {
			data = []byte(content)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			panic(err)
		}
	}
	out := caseOut{caseIn: c}
	out.Tree = map[string]string{}
	for name, text := range c.Tree {
		out.Tree[name] = strings.ReplaceAll(text, "@ROOT@", root)
	}
	for _, ref := range c.Refs {
		out.Results = append(out.Results, runRef(dir, ref))
	}
	return out
}

// clean replaces the temporary root with /ROOT so the fixture is stable.
func clean(s, dir string) string { return strings.ReplaceAll(s, dir, root) }

func runRef(dir, ref string) (res refOut) {
	res.Ref = ref
	res.Attempts = []attempt{}
	var logBuf bytes.Buffer
	logrus.SetOutput(&logBuf)
	logrus.SetFormatter(&logrus.JSONFormatter{})
	logrus.SetLevel(logrus.InfoLevel)
	defer func() {
		for _, line := range strings.Split(logBuf.String(), "\n") {
			var m map[string]interface{}
			if json.Unmarshal([]byte(line), &m) != nil {
				continue
			}
			if m["level"] == "error" {
				res.LoggedError = append(res.LoggedError, clean(fmt.Sprint(m["msg"], ": ", m["error"]), dir))
			}
		}
	}()

	var attempts []attempt
	tls := map[*http.Client]hostOut{}
	opts := config.HostOptions{
		HostDir: config.HostDirFromRoot(dir),
		UpdateClient: func(c *http.Client) error {
			info := hostOut{}
			if tr, ok := c.Transport.(*http.Transport); ok && tr.TLSClientConfig != nil {
				info.SkipVerify = tr.TLSClientConfig.InsecureSkipVerify
				info.CustomCAs = tr.TLSClientConfig.RootCAs != nil
				info.ClientCerts = len(tr.TLSClientConfig.Certificates)
			}
			c.Transport = recorder{&attempts}
			tls[c] = info
			return nil
		},
	}
	hostsFn := config.ConfigureHosts(context.Background(), opts)

	func() {
		defer func() {
			if r := recover(); r != nil {
				res.Panic = true
			}
		}()
		host := strings.SplitN(ref, "/", 2)[0]
		hs, err := hostsFn(host)
		if err != nil {
			res.HostsError = clean(err.Error(), dir)
			return
		}
		for _, h := range hs {
			info := tls[h.Client]
			info.Scheme, info.Host, info.Path = h.Scheme, h.Host, h.Path
			info.Capabilities = capNames(h.Capabilities)
			if len(h.Header) > 0 {
				info.Header = map[string][]string(h.Header)
			}
			res.Hosts = append(res.Hosts, info)
		}
		resolver := docker.NewResolver(docker.ResolverOptions{Hosts: hostsFn})
		_, _, err = resolver.Resolve(context.Background(), ref)
		if err != nil {
			res.ResolveErr = clean(err.Error(), dir)
		}
	}()
	// Only the first path (manifests) of the resolve step: the blobs fallback for digests repeats the hosts.
	var first []attempt
	for _, a := range attempts {
		if strings.Contains(a.URL, "/blobs/") {
			break
		}
		first = append(first, a)
	}
	if first == nil {
		first = []attempt{}
	}
	res.Attempts = first
	return res
}

func main() {
	makePEMs()
	cases := buildCases()
	out := make([]caseOut, 0, len(cases))
	for _, c := range cases {
		out = append(out, runCase(c))
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(map[string]interface{}{
		"generator":  "tools/containerd-conformance/gen.go",
		"containerd": "1.6.20 (Debian golang-github-containerd-containerd-dev)",
		"root":       root,
		"cases":      out,
	}); err != nil {
		panic(err)
	}
}
