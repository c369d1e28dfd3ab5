package main

import (
	"fmt"
	"strings"
)

const dgst = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

var (
	quayTag = "quay.io/org/app:1"
	quayDig = "quay.io/org/app@" + dgst
	hubTag  = "docker.io/library/alpine:latest"
	localT  = "localhost:5000/a/b:1"
)

const noFile = "\x00"

func one(name, text string, refs ...string) caseIn {
	if len(refs) == 0 {
		refs = []string{quayTag, quayDig}
	}
	return caseIn{Name: name, Tree: map[string]string{"quay.io": text}, Refs: refs}
}

// buildCases: hand-written cases for each behaviour, then a generated grid of server × hosts × settings.
func buildCases() []caseIn {
	var cs []caseIn

	// Directory lookup.
	cs = append(cs,
		caseIn{Name: "lookup: host_port_ before host:port before _default", Tree: map[string]string{
			"reg.example_5000_": "[host.\"one.example\"]\n", "reg.example:5000": "[host.\"two.example\"]\n", "_default": "[host.\"dflt.example\"]\n"},
			Refs: []string{"reg.example:5000/a:1", "reg.example/a:1", "other.example:5000/a:1"}},
		caseIn{Name: "lookup: host:port when no host_port_", Tree: map[string]string{"reg.example:5000": "[host.\"two.example\"]\n", "_default": "[host.\"dflt.example\"]\n"},
			Refs: []string{"reg.example:5000/a:1"}},
		caseIn{Name: "lookup: directory named without the port does not apply", Tree: map[string]string{"reg.example": "[host.\"m.example\"]\n"},
			Refs: []string{"reg.example:5000/a:1", "reg.example/a:1"}},
		caseIn{Name: "lookup: empty directory wins over _default", Tree: map[string]string{"quay.io": noFile, "_default": "[host.\"dflt.example\"]\n"},
			Refs: []string{quayTag, "ghcr.io/o/a:1"}},
		caseIn{Name: "lookup: broken file wins over _default", Tree: map[string]string{"quay.io": "[host.\"m\"\n", "_default": "[host.\"dflt.example\"]\n"},
			Refs: []string{quayTag}},
		caseIn{Name: "lookup: _default for docker.io and localhost", Tree: map[string]string{"_default": "[host.\"dflt.example\"]\n"},
			Refs: []string{hubTag, localT, "127.0.0.1:5000/a:1"}},
		caseIn{Name: "lookup: IPv6 host_port_", Tree: map[string]string{"[::1]_5000_": "[host.\"v6.example\"]\n"},
			Refs: []string{"[::1]:5000/a:1"}},
		caseIn{Name: "no directory at all", Tree: map[string]string{},
			Refs: []string{quayTag, hubTag, localT, "127.0.0.1:5000/a:1", "[::1]:5000/a:1", "localhost/a:1", "127.0.0.1/a:1"}},
	)

	// Whole-file-ignored problems.
	broken := map[string]string{
		"bad TOML":                          "[host.\"m\"\ncapabilities = [\"pull\"]\n",
		"unknown capability":                "[host.\"m.example\"]\ncapabilities = [\"pull\", \"fetch\"]\n",
		"capabilities not an array":         "[host.\"m.example\"]\ncapabilities = \"pull\"\n",
		"capabilities of numbers":           "[host.\"m.example\"]\ncapabilities = [1]\n",
		"skip_verify a string":              "[host.\"m.example\"]\nskip_verify = \"true\"\n",
		"skip_verify a number":              "[host.\"m.example\"]\nskip_verify = 1\n",
		"override_path a string":            "[host.\"m.example\"]\noverride_path = \"yes\"\n",
		"ca a number":                       "[host.\"m.example\"]\nca = 5\n",
		"ca array of numbers":               "[host.\"m.example\"]\nca = [5]\n",
		"client a number":                   "[host.\"m.example\"]\nclient = 5\n",
		"client pair of one":                "[host.\"m.example\"]\nclient = [[\"a.cert\"]]\n",
		"client array of numbers":           "[host.\"m.example\"]\nclient = [5]\n",
		"header a string":                   "[host.\"m.example\"]\nheader = \"x\"\n",
		"header value a number":             "[host.\"m.example\"]\n[host.\"m.example\".header]\nx-a = 5\n",
		"header array of numbers":           "[host.\"m.example\"]\n[host.\"m.example\".header]\nx-a = [5]\n",
		"server a number":                   "server = 5\n[host.\"m.example\"]\n",
		"server only":                       "server = \"https://m.example\"\n",
		"server and root capabilities only": "server = \"https://m.example\"\ncapabilities = [\"pull\"]\n",
		"host a string":                     "host = \"m.example\"\n",
		"array of host tables":              "[[host]]\nserver = \"m.example\"\n",
		"one non-table under host":          "[host]\nx = 1\n",
		"two non-tables under host":         "[host]\nx = 1\ny = 2\n",
		"table and non-table under host":    "[host]\nx = 1\n[host.\"m.example\"]\n",
		"bad server port":                   "[host.\"m.example:abc\"]\n",
		"space in host":                     "[host.\"m example\"]\n",
		"brace in host":                     "[host.\"m{x}.example\"]\n",
		"bad escape in path":                "[host.\"https://m.example/%zz\"]\n",
		"bad server url":                    "server = \"https://m:x:y\"\n[host]\n",
		"unknown capability at root":        "capabilities = [\"pul\"]\n[host.\"m.example\"]\n",
		"duplicate table":                   "[host.\"m.example\"]\n[host.\"m.example\"]\n",
		"empty file":                        "",
		"comments only":                     "# nothing\n",
		"root skip_verify only":             "skip_verify = true\n",
	}
	for _, name := range sortedKeys(broken) {
		cs = append(cs, one("broken: "+name, broken[name]))
	}

	// Files that load.
	good := map[string]string{
		"empty [host] table":                 "[host]\n",
		"empty [host] with server":           "server = \"https://m.example\"\n[host]\n",
		"order: file order":                  "[host.\"https://b.example\"]\n[host.\"https://a.example\"]\n[host.\"https://c.example\"]\n",
		"order: header sub-table first":      "[host.\"b.example\".header]\nx-a = \"1\"\n[host.\"a.example\"]\n[host.\"b.example\"]\ncapabilities = [\"pull\", \"resolve\"]\n",
		"order: dotted keys":                 "[host]\n\"b.example\".capabilities = [\"pull\", \"resolve\"]\n\"a.example\".skip_verify = true\n",
		"order: root dotted keys":            "host.\"b.example\".skip_verify = true\nhost.\"a.example\".skip_verify = false\n",
		"order: one inline table":            "[host]\n\"a.example\" = { capabilities = [\"pull\", \"resolve\"] }\n",
		"order: inline then table":           "[host]\n\"b.example\" = { skip_verify = true }\n[host.\"a.example\"]\n",
		"server last":                        "[host.\"a.example\"]\nserver = \"https://quay.io\"\n",
		"server before hosts":                "server = \"https://s.example\"\n[host.\"a.example\"]\n",
		"paths":                              "[host.\"https://a.example/\"]\n[host.\"https://b.example/v2\"]\n[host.\"https://c.example/v2/prefix\"]\n[host.\"https://d.example/x/../y\"]\n[host.\"https://e.example/a/./b//c/\"]\n[host.\"https://f.example/v2/\"]\n",
		"override_path":                      "[host.\"https://a.example/raw/path\"]\noverride_path = true\n[host.\"https://b.example\"]\noverride_path = true\n[host.\"https://c.example/x/../v3/\"]\noverride_path = true\n",
		"root override_path with server":     "server = \"https://s.example/api\"\noverride_path = true\n[host]\n",
		"root override_path without server":  "override_path = true\n[host]\n",
		"schemes":                            "[host.\"http://p.example\"]\n[host.\"https://s.example\"]\n[host.\"httpfoo.example\"]\n[host.\"HTTPS://u.example\"]\n[host.\"HTTP://v.example\"]\n[host.\"http:opaque\"]\n[host.\"plain.example:5000\"]\n",
		"url odds":                           "[host.\"user@a.example\"]\n[host.\"b.example?x=1\"]\n[host.\"c.example#frag\"]\n[host.\"d%41.example\"]\n[host.\"e%C3%A9.example\"]\n",
		"bracket in a quoted table key":      "[host.\"[::1]:5000\"]\n",
		"IPv6 host through a dotted key":     "[host]\n\"[::1]:5000\".capabilities = [\"pull\", \"resolve\"]\n",
		"the registry itself as a host":      "[host.\"https://quay.io\"]\ncapabilities = [\"pull\"]\n[host.\"mirror.example\"]\n",
		"capabilities":                       "[host.\"pull.example\"]\ncapabilities = [\"pull\"]\n[host.\"resolve.example\"]\ncapabilities = [\"resolve\"]\n[host.\"push.example\"]\ncapabilities = [\"push\"]\n[host.\"upper.example\"]\ncapabilities = [\"PULL\", \"Resolve\"]\n[host.\"empty.example\"]\ncapabilities = []\n[host.\"dup.example\"]\ncapabilities = [\"pull\", \"pull\"]\n",
		"root capabilities apply to server":  "server = \"https://s.example\"\ncapabilities = [\"pull\"]\n[host]\n",
		"root capabilities not to registry":  "capabilities = [\"pull\"]\n[host]\n",
		"skip_verify":                        "[host.\"t.example\"]\nskip_verify = true\n[host.\"f.example\"]\nskip_verify = false\n[host.\"http://h.example\"]\nskip_verify = true\n",
		"root skip_verify applies to registry": "skip_verify = true\n[host]\n",
		"headers":                            "[host.\"a.example\"]\n[host.\"a.example\".header]\nx-one = \"1\"\nX-Many = [\"a\", \"b\"]\nauthorization = \"Bearer x\"\n[host.\"b.example\"]\nheader = { x-inline = \"y\" }\n",
		"root header applies to registry":    "[host]\n[header]\nx-root = \"r\"\n",
		"ca and client":                      "[host.\"a.example\"]\nca = \"ca.crt\"\n[host.\"b.example\"]\nca = [\"ca.crt\", \"/ABS/ca.crt\"]\n[host.\"c.example\"]\nclient = \"both.pem\"\n[host.\"d.example\"]\nclient = [[\"c.cert\", \"c.key\"], \"both.pem\"]\n",
		"field names as Go names":            "[host.\"a.example\"]\nCapabilities = [\"pull\"]\n[host.\"b.example\"]\nSkipVerify = true\n[host.\"c.example\"]\nskipverify = true\n[host.\"d.example\"]\nCAPABILITIES = [\"pull\"]\n",
		"Server as Go name":                  "Server = \"https://s.example\"\n[host]\n",
		"unknown keys ignored":               "[host.\"a.example\"]\ndial_timeout = \"1s\"\nfoo = 1\n",
		"registry-1.docker.io host for hub": "[host.\"registry-1.docker.io\"]\n[host.\"https://docker.io\"]\n",
	}
	for _, name := range sortedKeys(good) {
		text := good[name]
		c := caseIn{Name: "loads: " + name, Tree: map[string]string{"_default": text}, Refs: []string{quayTag, quayDig, hubTag, localT}}
		if strings.Contains(text, "ca.crt") {
			c.Files = map[string]string{"_default/ca.crt": "CA", "_default/both.pem": "CERTKEY", "_default/c.cert": "CERT", "_default/c.key": "KEY", "ABS/ca.crt": "CA"}
			// Absolute paths point into the case root: @ROOT@ is the temporary root on disk, /ROOT in the fixture.
			c.Tree["_default"] = strings.ReplaceAll(text, "/ABS/", "@ROOT@/ABS/")
		}
		cs = append(cs, c)
	}

	// Docker-style certificate files (no hosts.toml, or an ignored one).
	cs = append(cs,
		caseIn{Name: "cert files without hosts.toml", Tree: map[string]string{"quay.io": noFile}, Files: map[string]string{"quay.io/ca.crt": "CA", "quay.io/client.cert": "CERT", "quay.io/client.key": "KEY", "quay.io/solo.cert": "CERTKEY"}, Refs: []string{quayTag}},
		caseIn{Name: "cert files with a broken hosts.toml", Tree: map[string]string{"quay.io": "[host.\"m\"\n"}, Files: map[string]string{"quay.io/ca.crt": "CA"}, Refs: []string{quayTag}},
		caseIn{Name: "missing ca file is an error", Tree: map[string]string{"quay.io": "[host.\"m.example\"]\nca = \"missing.crt\"\n"}, Refs: []string{quayTag}},
	)

	// Generated grid: server × host list × settings on the first host, in _default.
	servers := []string{"", "https://quay.io", "mirror.example", "http://127.0.0.1:5000/prefix", "s.example/v2"}
	capsV := []string{"", "capabilities = [\"pull\"]\n", "capabilities = [\"pull\", \"resolve\"]\n", "capabilities = [\"push\"]\n"}
	overrides := []string{"", "override_path = true\n"}
	skips := []string{"", "skip_verify = true\n", "skip_verify = false\n"}
	hostLists := [][]string{{}, {"a.example"}, {"a.example:8443/v2/pfx", "http://b.example"}}
	n := 0
	for _, server := range servers {
		for _, hl := range hostLists {
			for _, caps := range capsV {
				for _, ov := range overrides {
					for _, sk := range skips {
						var b strings.Builder
						if server != "" {
							fmt.Fprintf(&b, "server = %q\n", server)
						}
						if len(hl) == 0 {
							// No hosts: the settings go to the root table (they apply to server, or not at all).
							b.WriteString(caps + ov + sk)
						}
						b.WriteString("[host]\n")
						for i, h := range hl {
							fmt.Fprintf(&b, "[host.%q]\n", h)
							if i == 0 {
								b.WriteString(caps + ov + sk)
							}
						}
						n++
						cs = append(cs, caseIn{Name: fmt.Sprintf("grid %d", n), Tree: map[string]string{"_default": b.String()}, Refs: []string{quayTag, quayDig, hubTag, localT}})
					}
				}
			}
		}
	}
	return cs
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
