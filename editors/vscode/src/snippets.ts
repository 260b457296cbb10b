/**
 * VS Code snippet bodies (the subset snippets/plan.json uses): tab stops `$1` `${1}`,
 * placeholders `${1:default}` (nested allowed), choices `${1|a,b|}` and `$0`; `\$`, `\}`
 * and `\\` escape. Pure, for the tests (and the Rust side, which parses the expansions).
 */

export interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

export class SnippetSyntaxError extends Error {}

/** The body as one string (`body` may be an array of lines). */
export function bodyText(snippet: Pick<Snippet, 'body'>): string {
  return Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
}

interface Parsed {
  text: string;
  tabStops: number[];
}

/** Expands a body with every placeholder's default (a choice's first option), `\t` as `indent`. */
export function expandSnippet(body: string, indent = '  '): string {
  const parsed = parse(body, 0, false);
  if (parsed.end !== body.length) {
    throw new SnippetSyntaxError(`unexpected "}" at ${parsed.end}`);
  }
  return parsed.text.replace(/\t/g, indent);
}

/** The tab stop numbers used in a body, in order of appearance (throws on malformed syntax). */
export function tabStops(body: string): number[] {
  return parse(body, 0, false).tabStops;
}

function parse(body: string, start: number, nested: boolean): Parsed & { end: number } {
  let text = '';
  const stops: number[] = [];
  let i = start;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\') {
      const next = body[i + 1];
      if (next === '$' || next === '}' || next === '\\' || next === ',' || next === '|') {
        text += next;
        i += 2;
        continue;
      }
      text += c;
      i += 1;
      continue;
    }
    if (c === '}' && nested) {
      return { text, tabStops: stops, end: i };
    }
    if (c === '$') {
      const simple = /^\$(\d+)/.exec(body.slice(i));
      if (simple?.[1]) {
        stops.push(Number(simple[1]));
        i += simple[0].length;
        continue;
      }
      const open = /^\$\{(\d+)/.exec(body.slice(i));
      if (open?.[1]) {
        const n = Number(open[1]);
        stops.push(n);
        i += open[0].length;
        const kind = body[i];
        if (kind === '}') {
          i += 1;
          continue;
        }
        if (kind === ':') {
          const inner = parse(body, i + 1, true);
          if (body[inner.end] !== '}') {
            throw new SnippetSyntaxError(`unclosed placeholder \${${n}:...} at ${i}`);
          }
          text += inner.text;
          stops.push(...inner.tabStops);
          i = inner.end + 1;
          continue;
        }
        if (kind === '|') {
          const close = body.indexOf('|}', i + 1);
          if (close < 0) {
            throw new SnippetSyntaxError(`unclosed choice \${${n}|...|} at ${i}`);
          }
          const options = body
            .slice(i + 1, close)
            .split(/(?<!\\),/)
            .map((o) => o.replace(/\\([,|\\])/g, '$1'));
          if (options.length === 0 || options[0] === '') {
            throw new SnippetSyntaxError(`empty choice \${${n}|...|} at ${i}`);
          }
          text += options[0];
          i = close + 2;
          continue;
        }
        throw new SnippetSyntaxError(`malformed tab stop \${${n}${kind ?? ''} at ${i}`);
      }
      if (/^\$\{?[A-Za-z_]/.test(body.slice(i))) {
        throw new SnippetSyntaxError(`variables are not used in plan snippets (at ${i})`);
      }
      throw new SnippetSyntaxError(`a lone "$" at ${i} (write \\$)`);
    }
    text += c;
    i += 1;
  }
  if (nested) {
    throw new SnippetSyntaxError('unclosed placeholder');
  }
  return { text, tabStops: stops, end: i };
}
