// Command sdk-driver-go drives the official Go SDK (github.com/latitudesh/latitudesh-go-sdk)
// through the API-key lifecycle and prints one JSON line per step.
//
// Usage: sdk-driver-go --base-url URL [--plan lifecycle,errors,name-left-out] [--key-id ID]
//
//	[--missing-id ID]
//
// The token comes from LATITUDE_SDK_TOKEN (never argv). The token itself is never printed: only
// whether it was present, its length and whether token_last_slice matches it.
//
// The SDK's operation methods are found by name through reflection and their request structs are
// filled by decoding JSON into them, so the same driver builds against SDK releases whose method
// names moved (List/GetAPIKeys, Create/PostAPIKey, ...) and whose model names changed. The only
// SDK identifiers used directly are New, WithServerURL, WithClient, WithSecurity and the APIKeys
// field, which every release has.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	latitudeshgosdk "github.com/latitudesh/latitudesh-go-sdk"
)

const sdkName = "go"
const sdkModule = "github.com/latitudesh/latitudesh-go-sdk"

// A value that is not a credential anywhere; the provider must answer 401 to it.
const wrongToken = "wrong-token-for-conformance-checks"

var hex36 = regexp.MustCompile(`[0-9a-fA-F]{36}`)

func sdkVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == sdkModule {
				if dep.Replace != nil {
					return dep.Replace.Version
				}
				return dep.Version
			}
		}
	}
	return "unknown"
}

// recordingClient is the HTTP client handed to the SDK (WithClient): it keeps the status and
// content type of the last response, which the SDK's errors do not always carry.
type recordingClient struct {
	inner       *http.Client
	status      int
	contentType string
}

func (c *recordingClient) Do(req *http.Request) (*http.Response, error) {
	res, err := c.inner.Do(req)
	if res != nil {
		c.status = res.StatusCode
		c.contentType = res.Header.Get("Content-Type")
	}
	return res, err
}

type driver struct {
	baseURL   string
	token     string
	keyID     string
	missingID string
	secrets   []string
	client    *recordingClient
}

func (d *driver) sdk(token *string) *latitudeshgosdk.Latitudesh {
	opts := []latitudeshgosdk.SDKOption{
		latitudeshgosdk.WithServerURL(d.baseURL),
		latitudeshgosdk.WithClient(d.client),
	}
	if token != nil {
		opts = append(opts, latitudeshgosdk.WithSecurity(*token))
	}
	return latitudeshgosdk.New(opts...)
}

func (d *driver) scrub(s string) string {
	sorted := append([]string(nil), d.secrets...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	for _, secret := range sorted {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[REDACTED]")
		}
	}
	return hex36.ReplaceAllString(s, "[REDACTED]")
}

// invoke calls the first method of sdk.APIKeys that exists under one of names. String parameters
// get the ids in order; a struct parameter is decoded from body.
func invoke(s *latitudeshgosdk.Latitudesh, names []string, ids []string, body string) (string, any, error) {
	apiKeys := reflect.ValueOf(s).Elem().FieldByName("APIKeys")
	if !apiKeys.IsValid() {
		return "", nil, fmt.Errorf("driver: the SDK has no APIKeys field")
	}
	for _, name := range names {
		m := apiKeys.MethodByName(name)
		if !m.IsValid() {
			continue
		}
		t := m.Type()
		args := []reflect.Value{}
		idIdx := 0
		for i := 0; i < t.NumIn(); i++ {
			in := t.In(i)
			if t.IsVariadic() && i == t.NumIn()-1 {
				break
			}
			switch {
			case in.Implements(reflect.TypeOf((*context.Context)(nil)).Elem()):
				args = append(args, reflect.ValueOf(context.Background()))
			case in.Kind() == reflect.String:
				id := ""
				if idIdx < len(ids) {
					id = ids[idIdx]
				}
				idIdx++
				args = append(args, reflect.ValueOf(id))
			case in.Kind() == reflect.Struct:
				v := reflect.New(in)
				if err := json.Unmarshal([]byte(body), v.Interface()); err != nil {
					return name, nil, fmt.Errorf("driver: cannot build %s: %w", in.Name(), err)
				}
				args = append(args, v.Elem())
			case in.Kind() == reflect.Map:
				v := reflect.New(in)
				if err := json.Unmarshal([]byte(body), v.Interface()); err != nil {
					return name, nil, fmt.Errorf("driver: cannot build %s: %w", in, err)
				}
				args = append(args, v.Elem())
			case in.Kind() == reflect.Ptr && in.Elem().Kind() == reflect.Struct:
				v := reflect.New(in.Elem())
				if err := json.Unmarshal([]byte(body), v.Interface()); err != nil {
					return name, nil, fmt.Errorf("driver: cannot build %s: %w", in.Elem().Name(), err)
				}
				args = append(args, v)
			default:
				return name, nil, fmt.Errorf("driver: %s takes an unexpected %s", name, in)
			}
		}
		out := m.Call(args)
		var res any
		if len(out) > 0 && !isNil(out[0]) {
			res = out[0].Interface()
		}
		var err error
		if last := out[len(out)-1]; !isNil(last) {
			err, _ = last.Interface().(error)
		}
		return name, res, err
	}
	return "", nil, fmt.Errorf("driver: the SDK has none of the methods %v", names)
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Ptr, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func:
		return v.IsNil()
	}
	return false
}

// payload is the parsed body of a response: the first non-nil field other than HTTPMeta,
// marshalled back to JSON so the values are exactly what the SDK parsed.
func payload(res any) map[string]any {
	if res == nil {
		return nil
	}
	v := reflect.ValueOf(res)
	for v.Kind() == reflect.Ptr {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Name == "HTTPMeta" {
			continue
		}
		fv := v.Field(i)
		if isNil(fv) {
			continue
		}
		raw, err := json.Marshal(fv.Interface())
		if err != nil {
			return map[string]any{"_marshal_error": err.Error()}
		}
		var out map[string]any
		if json.Unmarshal(raw, &out) == nil {
			out["_field"] = f.Name
			return out
		}
	}
	return nil
}

func str(m map[string]any, key string) any {
	if m == nil {
		return nil
	}
	if v, ok := m[key]; ok {
		return v
	}
	return nil
}

func hasZone(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

func (d *driver) describeKey(key map[string]any) map[string]any {
	if key == nil {
		return nil
	}
	attrs, _ := key["attributes"].(map[string]any)
	token, _ := str(attrs, "token").(string)
	if token != "" {
		d.secrets = append(d.secrets, token)
	}
	slice, _ := str(attrs, "token_last_slice").(string)
	user, _ := str(attrs, "user").(map[string]any)
	return map[string]any{
		"id":                       str(key, "id"),
		"type":                     str(key, "type"),
		"name":                     str(attrs, "name"),
		"api_version":              str(attrs, "api_version"),
		"token_present":            token != "",
		"token_length":             len(token),
		"token_last_slice":         nilIfEmpty(slice),
		"last_slice_matches_token": token != "" && len(slice) == 5 && strings.HasSuffix(token, slice),
		"read_only":                str(attrs, "read_only"),
		"allowed_ips":              str(attrs, "allowed_ips"),
		"created_at":               str(attrs, "created_at"),
		"created_at_has_zone":      hasZone(str(attrs, "created_at")),
		"updated_at":               str(attrs, "updated_at"),
		"user_id":                  str(user, "id"),
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (d *driver) keyResult(res any) map[string]any {
	p := payload(res)
	data, _ := str(p, "data").(map[string]any)
	out := map[string]any{"key": d.describeKey(data)}
	if p != nil {
		out["parsed_field"] = p["_field"]
	}
	return out
}

func (d *driver) listResult(res any) map[string]any {
	p := payload(res)
	items, _ := str(p, "data").([]any)
	ids := []any{}
	anyToken := false
	contains := false
	for _, item := range items {
		key, _ := item.(map[string]any)
		k := d.describeKey(key)
		if k == nil {
			continue
		}
		ids = append(ids, k["id"])
		if k["token_present"] == true {
			anyToken = true
		}
		if d.keyID != "" && k["id"] == d.keyID {
			contains = true
		}
	}
	return map[string]any{"count": len(items), "ids": ids, "any_token_present": anyToken, "contains_key": contains}
}

func noneResult(res any) map[string]any {
	if res == nil {
		return map[string]any{"returned": nil}
	}
	return map[string]any{"returned": reflect.TypeOf(res).String()}
}

func (d *driver) describeError(err error) map[string]any {
	msg := err.Error()
	for _, cut := range []string{"\n", "Body:", "body:"} {
		if i := strings.Index(msg, cut); i >= 0 {
			msg = msg[:i]
		}
	}
	msg = d.scrub(strings.TrimSpace(msg))
	if len(msg) > 300 {
		msg = msg[:300]
	}
	class := fmt.Sprintf("%T", err)
	out := map[string]any{
		"class":        class,
		"is_sdk_error": strings.Contains(class, "components.") || strings.Contains(class, "sdkerrors."),
		"message":      msg,
	}
	v := reflect.ValueOf(err)
	for v.Kind() == reflect.Ptr && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("StatusCode"); f.IsValid() && f.CanInt() {
			out["status"] = f.Int()
		}
		if f := v.FieldByName("Body"); f.IsValid() && f.Kind() == reflect.String {
			var body map[string]any
			if json.Unmarshal([]byte(f.String()), &body) == nil {
				if code := firstErrorCode(body); code != nil {
					out["error_code"] = code
				}
			}
		}
		if _, ok := out["error_code"]; !ok {
			if raw, e := json.Marshal(err); e == nil {
				var body map[string]any
				if json.Unmarshal(raw, &body) == nil {
					if code := firstErrorCode(body); code != nil {
						out["error_code"] = code
					}
				}
			}
		}
	}
	return out
}

func firstErrorCode(body map[string]any) any {
	errs, _ := body["errors"].([]any)
	if len(errs) == 0 {
		return nil
	}
	first, _ := errs[0].(map[string]any)
	return str(first, "code")
}

type stepSpec struct {
	name     string
	call     string
	methods  []string
	ids      []string
	body     string
	token    *string
	describe func(any) map[string]any
	note     string
}

func (d *driver) step(s stepSpec) any {
	d.client.status = 0
	d.client.contentType = ""
	method, res, err := invoke(d.sdk(s.token), s.methods, s.ids, s.body)
	line := map[string]any{
		"sdk":         sdkName,
		"sdk_version": sdkVersion(),
		"step":        s.name,
		"call":        fmt.Sprintf("APIKeys.%s %s", method, s.call),
	}
	if err != nil {
		line["ok"] = false
		line["error"] = d.describeError(err)
	} else {
		line["ok"] = true
		line["parsed"] = s.describe(res)
	}
	if d.client.status != 0 {
		line["status"] = d.client.status
		line["response_content_type"] = d.client.contentType
	} else {
		line["status"] = nil
	}
	if s.note != "" {
		line["note"] = s.note
	}
	raw, _ := json.Marshal(line)
	fmt.Println(d.scrub(string(raw)))
	if err != nil {
		return nil
	}
	return res
}

// createdName names the key the lifecycle creates: `<LATITUDE_SDK_NAME_PREFIX>-go`, so a sweep can
// recognise any key a run left behind.
func (d *driver) createdName() string {
	prefix := os.Getenv("LATITUDE_SDK_NAME_PREFIX")
	if prefix == "" {
		prefix = "lc-conformance-sdk"
	}
	return prefix + "-" + sdkName
}

func (d *driver) lifecycle() {
	tok := &d.token
	d.step(stepSpec{name: "list", call: "(ctx)", methods: []string{"List", "GetAPIKeys"}, token: tok, describe: d.listResult})
	created := d.step(stepSpec{
		name: "create", call: "(ctx, CreateAPIKey{type: api_keys, attributes: {name}})",
		methods: []string{"Create", "PostAPIKey"}, token: tok, describe: d.keyResult,
		body: fmt.Sprintf(`{"data":{"type":"api_keys","attributes":{"name":%q,"read_only":false}}}`, d.createdName()),
	})
	if d.keyID == "" {
		if data, ok := str(payload(created), "data").(map[string]any); ok {
			if id, ok := data["id"].(string); ok {
				d.keyID = id
			}
		}
	}
	id := d.keyID
	if id == "" {
		id = "tok_unknown0"
	}
	d.step(stepSpec{
		name: "update_settings", call: "(ctx, id, UpdateAPIKey{attributes: {name, read_only}})",
		methods: []string{"UpdateAPIKey", "PatchAPIKey"}, ids: []string{id}, token: tok, describe: d.keyResult,
		body: fmt.Sprintf(`{"data":{"id":%q,"type":"api_keys","attributes":{"name":%q,"read_only":false}}}`, id, d.createdName()+"-renamed"),
	})
	d.step(stepSpec{
		name: "rotate", call: "(ctx, id, UpdateAPIKey{id, type})",
		methods: []string{"Update", "RotateAPIKey", "RegenerateAPIKey"}, ids: []string{id}, token: tok, describe: d.keyResult,
		body: fmt.Sprintf(`{"data":{"id":%q,"type":"api_keys"}}`, id),
	})
	d.step(stepSpec{name: "list_after", call: "(ctx)", methods: []string{"List", "GetAPIKeys"}, token: tok, describe: d.listResult})
	d.step(stepSpec{name: "delete", call: "(ctx, id)", methods: []string{"Delete", "DeleteAPIKey"}, ids: []string{id}, token: tok, describe: noneResult})
}

func (d *driver) errors() {
	tok := &d.token
	wrong := wrongToken
	d.step(stepSpec{name: "unauthorized_no_token", call: "(ctx) with no security", methods: []string{"List", "GetAPIKeys"}, describe: d.listResult})
	d.step(stepSpec{name: "unauthorized_wrong_token", call: "(ctx) with a wrong security value", methods: []string{"List", "GetAPIKeys"}, token: &wrong, describe: d.listResult})
	d.step(stepSpec{
		name: "not_found", call: "(ctx, unknown id, UpdateAPIKey{...})",
		methods: []string{"UpdateAPIKey", "PatchAPIKey"}, ids: []string{d.missingID}, token: tok, describe: d.keyResult,
		body: fmt.Sprintf(`{"data":{"id":%q,"type":"api_keys","attributes":{"name":"missing"}}}`, d.missingID),
	})
	// CreateAPIKeyAttributes.Name carries the schema default and is filled in whenever attributes
	// are sent; leaving attributes out (the field is omitempty) is how the SDK sends no name.
	d.step(stepSpec{
		name: "create_without_name", call: "(ctx, CreateAPIKey{type: api_keys}) with no attributes",
		methods: []string{"Create", "PostAPIKey"}, token: tok, describe: d.keyResult,
		body: `{"data":{"type":"api_keys"}}`,
		note: "no attributes: the SDK sends no name",
	})
}

func (d *driver) nameLeftOut() {
	tok := &d.token
	created := d.step(stepSpec{
		name: "create_name_left_out", call: "(ctx, CreateAPIKey{type: api_keys, attributes: {}})",
		methods: []string{"Create", "PostAPIKey"}, token: tok, describe: d.keyResult,
		body: `{"data":{"type":"api_keys","attributes":{}}}`,
		note: "attributes without name: the SDK sends its schema default",
	})
	if data, ok := str(payload(created), "data").(map[string]any); ok {
		if id, ok := data["id"].(string); ok && id != "" {
			d.step(stepSpec{name: "cleanup_delete", call: "(ctx, id)", methods: []string{"Delete", "DeleteAPIKey"}, ids: []string{id}, token: tok, describe: noneResult})
		}
	}
}

func fatal(msg string) {
	raw, _ := json.Marshal(map[string]any{"sdk": sdkName, "fatal": msg})
	fmt.Println(string(raw))
}

func main() {
	// The SDK may fall back to this variable when no security is given; the no-token step must
	// really send no credentials.
	os.Unsetenv("LATITUDESH_BEARER")
	baseURL := flag.String("base-url", "", "base URL of the API")
	plan := flag.String("plan", "lifecycle,errors,name-left-out", "comma-separated plans")
	keyID := flag.String("key-id", "", "use this id instead of the created one")
	missingID := flag.String("missing-id", "tok_doesNotExist0", "an id no key has")
	flag.Parse()
	token := os.Getenv("LATITUDE_SDK_TOKEN")
	if *baseURL == "" || token == "" {
		fatal("--base-url and LATITUDE_SDK_TOKEN are required")
		os.Exit(2)
	}
	d := &driver{
		baseURL: strings.TrimRight(*baseURL, "/"), token: token, keyID: *keyID, missingID: *missingID,
		secrets: []string{token}, client: &recordingClient{inner: &http.Client{Timeout: 30 * time.Second}},
	}
	plans := map[string]func(){"lifecycle": d.lifecycle, "errors": d.errors, "name-left-out": d.nameLeftOut}
	for _, p := range strings.Split(*plan, ",") {
		if p == "" {
			continue
		}
		run, ok := plans[p]
		if !ok {
			fatal("unknown plan " + p)
			os.Exit(2)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					fatal(d.scrub(fmt.Sprintf("driver panic: %v", r)))
					os.Exit(3)
				}
			}()
			run()
		}()
	}
	raw, _ := json.Marshal(map[string]any{"sdk": sdkName, "sdk_version": sdkVersion(), "done": true})
	fmt.Println(string(raw))
}
