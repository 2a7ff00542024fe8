package tsblog_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"

	tsblog "github.com/libtsblog/libtsblog/bindings/go"
)

// A log as `kubectl logs` prints it for the TSB operator.
const operatorLog = `2026-11-20T08:10:01.118532Z	info	controlplane	watching ControlPlane resources [scope="controlplane"]
2026-11-20T08:10:01.251903Z	error	controlplane	token rotation failed, retrying in 15m0s: secret istio-system/cluster-service-account not found [scope="controlplane"]
2026-11-20T08:31:40.377812Z	error	controlplane	token rotation failed, retrying in 4.208114s: generate tokens: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp: lookup tsb.tetrate.io on 10.96.0.10:53: no such host" [scope="controlplane"]
2026-11-20T08:31:44.589302Z	error	controlplane	token rotation failed, retrying in 8.331917s: generate tokens: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp: lookup tsb.tetrate.io on 10.96.0.10:53: no such host" [scope="controlplane"]
`

func Example() {
	r, err := tsblog.Open(tsblog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	err = r.Scan(strings.NewReader(operatorLog), "operator.log", func(d tsblog.Diagnosis) error {
		fmt.Printf("%s:%d %s %s\n", *d.Source, d.Line, d.Severity, d.Rule)
		fmt.Println("  ", d.Summary)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// operator.log:2 error cp-sa-secret-missing
	//    tsb-operator-control-plane cannot rotate the cluster tokens because secret cluster-service-account does not exist in namespace istio-system.
	// operator.log:3 error mp-unreachable
	//    A control plane component (tsb-operator-control-plane token rotation or the edge XCP stream) cannot connect to the management plane, served by front-envoy (envoy service, tsb namespace) (address in the error: tsb.tetrate.io).
	// operator.log:4 error mp-unreachable
	//    A control plane component (tsb-operator-control-plane token rotation or the edge XCP stream) cannot connect to the management plane, served by front-envoy (envoy service, tsb namespace) (address in the error: tsb.tetrate.io).
}

func ExampleRules_MatchLine() {
	r, err := tsblog.Open(tsblog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	d, ok := r.MatchLine("token rotation failed, retrying in 15m0s: secret istio-system/cluster-service-account not found")
	if !ok {
		fmt.Println("no rule matches")
		return
	}
	fmt.Println(d.Rule, d.Title)
	for _, f := range d.Fields {
		fmt.Printf("  %s = %s\n", f.Name, f.Value)
	}
	fmt.Println("first step:", d.Fix[0])
	// Output:
	// cp-sa-secret-missing Cluster service account secret is missing
	//   namespace = istio-system
	//   secret = cluster-service-account
	// first step: Confirm the secret is missing: kubectl -n istio-system get secret cluster-service-account
}

// A tool that shows input lines beside their diagnoses, as `tsblog
// --passthrough` does, shows them redacted.
func ExampleRules_RedactString() {
	r, err := tsblog.Open(tsblog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	for _, line := range []string{
		"POST /v2/token Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlZGdlIn0.c2lnbmF0dXJl",
		"upstream connect error or disconnect/reset before headers",
	} {
		shown, err := r.RedactString(line)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(shown)
	}
	// Output:
	// POST /v2/token Authorization: Bearer <redacted:token>
	// upstream connect error or disconnect/reset before headers
}

func ExampleRules_Summarize() {
	r, err := tsblog.Open(tsblog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	sum, err := r.Summarize(strings.NewReader(operatorLog), "operator.log")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d lines, %d problems\n", sum.Records, len(sum.Problems))
	for _, p := range sum.Problems {
		fmt.Printf("%s x%d, lines %d-%d\n", p.Rule, p.Count, p.FirstLine, p.LastLine)
	}
	// Output:
	// 4 lines, 2 problems
	// cp-sa-secret-missing x1, lines 2-2
	// mp-unreachable x2, lines 3-4
}

// Rules of your own come before the bundled catalog, so they win.
func ExampleFromString() {
	const mine = `{
	  "tsblog": 1,
	  "rules": [{
	    "id": "disk-full",
	    "severity": "warning",
	    "title": "A disk is full",
	    "match": "no space left on device: (?<path>/\\S+)",
	    "summary": "The disk holding {path} is full.",
	    "fix": ["Free space under {path}"]
	  }]
	}`
	r, err := tsblog.FromString(mine, "mine.json", tsblog.Options{NoBuiltin: true})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	d, _ := r.MatchLine("write /var/lib/etcd/wal: no space left on device: /var/lib/etcd")
	fmt.Println(r.RuleIDs(), d.Summary)
	// Output:
	// [disk-full] The disk holding /var/lib/etcd is full.
}

// A Diagnosis marshals to the line `tsblog -o json` prints.  An Encoder
// without HTML escaping gives the same bytes; json.Marshal would escape
// '<', '>' and '&'.
func ExampleDiagnosis() {
	const mine = `{"tsblog": 1, "rules": [{"id": "oom", "severity": "error",
	  "title": "Out of memory", "match": "OOMKilled in (?<pod>\\S+)",
	  "summary": "{pod} ran out of memory."}]}`
	r, err := tsblog.FromString(mine, "", tsblog.Options{NoBuiltin: true})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	err = r.Scan(strings.NewReader("warn\tOOMKilled in <web-1>\n"), "pods.log",
		func(d tsblog.Diagnosis) error { return enc.Encode(d) })
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// {"rule":"oom","severity":"error","component":null,"title":"Out of memory","summary":"<web-1> ran out of memory.","fix":[],"fields":{"pod":"<web-1>"},"see_also":[],"docs":null,"source":"pods.log","line":1,"timestamp":null,"level":"warn","pod":null,"container":null,"namespace":null,"count":1,"text":"warn\tOOMKilled in <web-1>"}
}

func ExampleRuleError() {
	_, err := tsblog.FromString(`{"tsblog": 1, "rules": [{"id": "x", "severity": "error",
	  "title": "X", "match": "(unclosed", "summary": "x"}]}`, "mine.json", tsblog.Options{})
	var re *tsblog.RuleError
	if errors.As(err, &re) {
		fmt.Println(re.Path, re.Line, re.Column, re.RuleID, re.Member, re.Code)
		fmt.Println(err)
	}
	// Output:
	// mine.json 2 27 x match regex
	// mine.json:2:27: rule "x": match: PCRE2 error at offset 9: missing closing parenthesis
}

// A malformed event in a `kubectl get events -o json` document does not
// stop the scan; Scan reports it at the end.
func ExampleScanError() {
	r, err := tsblog.Open(tsblog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	events := `{
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {"kind": "Event", "type": "Warning", "reason": "FailedMount", "count": 3,
     "involvedObject": {"kind": "Pod", "namespace": "istio-system", "name": "edge-1"},
     "message": "MountVolume.SetUp failed for volume \"xcp-central-auth-jwt\" : secret \"xcp-edge-central-auth-token\" not found"},
    {"kind": "Event", "type": Warning, "message": "broken"}
  ]
}
`
	err = r.Scan(strings.NewReader(events), "events.json", func(d tsblog.Diagnosis) error {
		fmt.Println(d.Rule, *d.Pod, d.Count)
		return nil
	})
	var se *tsblog.ScanError
	if errors.As(err, &se) {
		for _, e := range se.Errors {
			fmt.Println(e.Line, e.Column, e)
		}
	}
	// Output:
	// edge-auth-token-secret-missing edge-1 3
	// 8 33 events.json:8:33: malformed event in the JSON document: invalid token near 'Warning'
}
