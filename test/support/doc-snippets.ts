import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * The TypeScript of the docs (README.md and docs/*.md), as a reader pastes it, and the type checker run over it
 * against the package (its entries mapped to their sources, as package.json's "exports" maps them to their compiled
 * files).
 *
 * A page marks each ```ts block with a comment on the line(s) before it:
 * - `<!-- compiled -->`: the block is a module of its own (a file a host would have), compiled as it stands;
 * - `<!-- compiled: client -->`: the block is client code (a browser or a script calling the API): it runs inside
 *   an async function, and the values such code has at hand (`accessToken`, `email`, `password`, `code`,
 *   `mfaToken`, the `json` and `auth` headers) are declared for it, since the page shows them as given.
 * No other harness exists: a block that needs more is rewritten as a whole file.
 */
export const ROOT = resolve(__dirname, '../..');

/** One ```ts block of a page. */
export interface DocSnippet {
  /** The page, relative to the repository: `README.md`, `docs/mfa.md`. */
  page: string;
  /** 1-based line of the block's opening fence in the page. */
  line: number;
  /** The harness its marker names: `module` (`<!-- compiled -->`), `client`, or undefined when unmarked. */
  harness: 'module' | 'client' | undefined;
  code: string;
}

/** README.md and every page of docs/, relative to the repository. */
export function docPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** Every ```ts block of `page`, with the harness its marker names. */
export function snippetsOf(page: string): DocSnippet[] {
  const text = readFileSync(join(ROOT, page), 'utf8');
  const snippets: DocSnippet[] = [];
  // A fence may be indented (inside a list item): its body is then indented alike.
  for (const match of text.matchAll(/^( *)```ts\n([\s\S]*?)^\1```$/gm)) {
    const before = text.slice(0, match.index).trimEnd();
    const marker = /<!-- compiled(?:: (\w+))? -->$/.exec(before);
    const indent = match[1].length;
    snippets.push({
      page,
      line: text.slice(0, match.index).split('\n').length,
      harness: marker ? ((marker[1] ?? 'module') as DocSnippet['harness']) : undefined,
      code: match[2]
        .split('\n')
        .map((line) => line.slice(indent))
        .join('\n'),
    });
  }
  return snippets;
}

/** What client code on a page has at hand (see the header): ambient, so that a block may still declare its own. */
const CLIENT_GIVENS = `
declare const accessToken: string;
declare const email: string;
declare const password: string;
declare const code: string;
declare const mfaToken: string;
declare const json: Record<string, string>;
declare const auth: Record<string, string>;
`;

/** The file a snippet is compiled as (its source text), under a name that says where it comes from. */
export function asSourceFile(snippet: DocSnippet): [string, string] {
  const name = `${snippet.page.replace(/[^A-Za-z0-9]+/g, '-')}-line-${snippet.line}.ts`;
  if (snippet.harness !== 'client') return [join(ROOT, 'test', 'doc-snippets', name), snippet.code];
  // The block's imports stay at the top of the file; the rest runs in the async function.
  const imports = /^(?:import [\s\S]*?;\n)*/.exec(snippet.code)![0];
  const body = snippet.code.slice(imports.length);
  const code = `${imports}export async function snippet(): Promise<void> {\n${body}}\n`;
  return [join(ROOT, 'test', 'doc-snippets', name), code];
}

/** The ambient declarations of the client harness, as a file of its own. */
export function clientGivens(): [string, string] {
  return [join(ROOT, 'test', 'doc-snippets', 'client-givens.d.ts'), CLIENT_GIVENS];
}

/** `nest-session-auth` and its subpaths, each to its source: `./dist/auth/x.d.ts` -> `src/auth/x.ts`. */
function packagePaths(): Record<string, string[]> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, { types?: string } | string>;
  };
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string' || target.types === undefined) continue;
    const source = target.types.replace(/^\.\/dist\//, './src/').replace(/\.d\.ts$/, '.ts');
    paths[join('nest-session-auth', subpath)] = [join(ROOT, source)];
  }
  return paths;
}

/** The type checker's complaints about `sources` (file name -> text), one line each. */
export function typeCheck(sources: Map<string, string>): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    paths: packagePaths(),
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => sources.get(file) ?? readFile(file);
  host.fileExists = (file) => sources.has(file) || fileExists(file);
  const program = ts.createProgram([...sources.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || sources.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
      const where = diagnostic.file
        ? `${diagnostic.file.fileName.slice(ROOT.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
        : 'options';
      return `${where}: ${text}`;
    });
}
