// Command go-resolve times containers/image's own resolution on bench/data/'s inputs, for bench/resolve.ts to print
// beside pullpath's figures in the same run. It calls the library's API (Debian's golang-github-containers-image-dev,
// GOPATH mode); nothing of the library is copied here.
//
// Per reference, as the loop bench/data/README.md describes: reference.ParseNormalizedNamed, then
// sysregistriesv2.FindRegistry on its name, then Registry.PullSourcesFromReference when an entry matched.
// The config is loaded (and cached by the library) before timing.
//
// Build and run (bench/resolve.ts does this itself):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o /tmp/go-resolve ./bench/go-resolve
//	/tmp/go-resolve -conf bench/data/registries-N10.conf -refs bench/data/refs-N10.txt.gz -rounds 5
//
// Prints one JSON line: {"n":…,"refs":…,"hits":…,"sources":…,"rounds":[res/s…],"median":…,"best":…,"loadMs":…}.
package main

import (
	"bufio"
	"compress/gzip"
	// go-digest only knows the algorithms whose hash is linked in: without this every @sha256: reference fails
	// to parse ("unsupported digest algorithm"), as in any program that never imports crypto/sha256.
	_ "crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/pkg/sysregistriesv2"
	"github.com/containers/image/v5/types"
)

func main() {
	conf := flag.String("conf", "", "registries.conf to load")
	refsPath := flag.String("refs", "", "references, one a line (gzip)")
	rounds := flag.Int("rounds", 5, "timed rounds after one warm-up")
	limit := flag.Int("limit", 0, "use only the first N references (0: all)")
	flag.Parse()

	refs, err := readRefs(*refsPath)
	if err != nil {
		fail(err)
	}
	if *limit > 0 && *limit < len(refs) {
		refs = refs[:*limit]
	}
	if *rounds < 1 {
		*rounds = 1
	}
	// An empty drop-in folder: only the given file counts, as in pullpath's bench.
	dropins, err := os.MkdirTemp("", "go-resolve-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dropins)
	ctx := &types.SystemContext{SystemRegistriesConfPath: *conf, SystemRegistriesConfDirPath: filepath.Join(dropins, "none")}

	t := time.Now()
	if _, err := sysregistriesv2.GetRegistries(ctx); err != nil {
		fail(err)
	}
	loadMs := float64(time.Since(t).Microseconds()) / 1000

	pass := func() (float64, int, int) {
		hits, sources := 0, 0
		start := time.Now()
		for _, s := range refs {
			named, err := reference.ParseNormalizedNamed(s)
			if err != nil {
				continue
			}
			reg, err := sysregistriesv2.FindRegistry(ctx, named.Name())
			if err != nil {
				fail(err)
			}
			if reg == nil {
				continue
			}
			hits++
			srcs, err := reg.PullSourcesFromReference(named)
			if err != nil {
				fail(err)
			}
			sources += len(srcs)
		}
		return float64(len(refs)) / time.Since(start).Seconds(), hits, sources
	}

	pass() // warm-up
	var rates []float64
	hits, sources := 0, 0
	for i := 0; i < *rounds; i++ {
		var r float64
		r, hits, sources = pass()
		rates = append(rates, r)
	}
	sorted := append([]float64(nil), rates...)
	sort.Float64s(sorted)
	out, _ := json.Marshal(map[string]any{
		"refs": len(refs), "hits": hits, "sources": sources, "rounds": rates,
		"median": sorted[len(sorted)/2], "best": sorted[len(sorted)-1], "loadMs": loadMs,
	})
	fmt.Println(string(out))
}

func readRefs(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var refs []string
	sc := bufio.NewScanner(z)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			refs = append(refs, line)
		}
	}
	return refs, sc.Err()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "go-resolve:", err)
	os.Exit(1)
}
