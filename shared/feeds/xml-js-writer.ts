// What the functions' bundles give `feed` for 'xml-js' (PROJECT_BUNDLE_ALIASES in
// infra/constructs/project-function.ts). `feed` calls only `js2xml`, but xml-js's index also loads its XML
// parser (xml2js and sax, 28 KiB minified) at import: 3.7 ms of a cold start (fresh imports, medians of 31,
// 2026-12-02). xml-js 1.6.11 (2019) is unmaintained, so the fix is this alias. The path is relative because
// an alias also rewrites `xml-js/...` subpaths; tests run unbundled, on xml-js's own index.
// @ts-expect-error: xml-js declares types for its index only; this is the module its index exports as js2xml.
import writer from '../../node_modules/xml-js/lib/js2xml.js';

export const js2xml: typeof import('xml-js').js2xml = writer;
