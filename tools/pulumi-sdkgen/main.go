// Command pulumi-sdkgen generates a Pulumi package SDK from a schema.json, offline.
//
// It calls the SDK generators of github.com/pulumi/pulumi/pkg/v3 directly, the same code that
// `pulumi package gen-sdk` reaches through a language host's GeneratePackage call; the language
// hosts this project can build (sdk/v3 v3.68.0) do not implement that call.
//
//	pulumi-sdkgen --schema schema.json --language python --out dir [--version 1.2.3] [--clean]
//
// Languages: python, nodejs. --version sets the schema's version and its language section's
// respectSchemaVersion, so that the SDK carries that version (without either, the Python SDK
// says 0.0.0). The files are written below --out (created if missing); --out must
// be empty unless --clean is given, which first removes what is in it. The schema must not
// depend on other packages (there is no plugin host to load them from).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-sdkgen"

// offlineLoader refuses every package: SDKs are generated without a plugin host or network.
type offlineLoader struct{}

func (offlineLoader) refuse(name string) error {
	return fmt.Errorf("%s: the schema refers to package %q, which cannot be loaded offline", tool, name)
}

func (l offlineLoader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(pkg)
}

func (l offlineLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l offlineLoader) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(pkg)
}

func (l offlineLoader) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: error: %v\n", tool, err)
		os.Exit(1)
	}
}

func run() error {
	schemaPath := flag.String("schema", "", "path of the package schema (JSON)")
	language := flag.String("language", "", "language of the SDK: python or nodejs")
	outDir := flag.String("out", "", "directory to write the SDK into")
	version := flag.String("version", "", "package version to generate (default: the schema's version)")
	clean := flag.Bool("clean", false, "remove what --out holds before writing")
	flag.Parse()
	if *schemaPath == "" || *language == "" || *outDir == "" || flag.NArg() != 0 {
		flag.Usage()
		return errors.New("--schema, --language and --out are required")
	}

	if *language != "python" && *language != "nodejs" {
		return fmt.Errorf("--language %q: expected python or nodejs", *language)
	}

	data, err := os.ReadFile(*schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("parsing %s: %w", *schemaPath, err)
	}
	if *version != "" {
		if _, err := semver.ParseTolerant(*version); err != nil {
			return fmt.Errorf("--version %q: %w", *version, err)
		}
		spec.Version = *version
		// The generators put the schema's version into the SDK only when told to.
		if err := respectSchemaVersion(&spec, *language); err != nil {
			return err
		}
	}

	loader := offlineLoader{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	for _, d := range diags {
		fmt.Fprintf(os.Stderr, "%s: %s\n", tool, d.Error())
	}
	if err != nil {
		return fmt.Errorf("binding %s: %w", *schemaPath, err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("%s is not a valid package schema", *schemaPath)
	}

	var files map[string][]byte
	switch *language {
	case "python":
		files, err = python.GeneratePackage(tool, pkg, nil, loader)
	case "nodejs":
		files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, false, loader)
	default:
		return fmt.Errorf("--language %q: expected python or nodejs", *language)
	}
	if err != nil {
		return fmt.Errorf("generating the %s SDK: %w", *language, err)
	}

	if err := prepareOutDir(*outDir, *clean); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(*outDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "%s: wrote %d files of the %s SDK of %s %s to %s\n",
		tool, len(names), *language, pkg.Name, spec.Version, *outDir)
	return nil
}

// respectSchemaVersion sets "respectSchemaVersion": true in the schema's section for language.
func respectSchemaVersion(spec *schema.PackageSpec, language string) error {
	section := map[string]any{}
	if raw, ok := spec.Language[language]; ok && len(raw) > 0 {
		if err := json.Unmarshal(raw, &section); err != nil {
			return fmt.Errorf("the schema's language.%s: %w", language, err)
		}
	}
	section["respectSchemaVersion"] = true
	raw, err := json.Marshal(section)
	if err != nil {
		return err
	}
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	spec.Language[language] = raw
	return nil
}

func prepareOutDir(dir string, clean bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if !clean {
		return fmt.Errorf("%s is not empty (use --clean to replace what it holds)", dir)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
