/**
 * A small deterministic YAML emitter for generated manifests (plain objects, arrays, strings,
 * numbers, booleans, null). Strings are quoted (JSON style) whenever a plain scalar could be
 * read back as something else.
 */

/** A value the emitter accepts. */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./:@-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`cannot emit non-finite number ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
}

function key(k: string): string {
  return PLAIN.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k);
}

function isScalar(v: YamlValue): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

function emit(v: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v as readonly YamlValue[]) {
      if (isScalar(item)) out.push(`${indent}- ${scalar(item)}`);
      else if (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0) out.push(`${indent}- ${Array.isArray(item) ? '[]' : '{}'}`);
      else {
        const sub: string[] = [];
        emit(item, `${indent}  `, sub);
        sub[0] = `${indent}- ${sub[0]!.slice(indent.length + 2)}`;
        out.push(...sub);
      }
    }
    return;
  }
  for (const [k, val] of Object.entries(v as Record<string, YamlValue | undefined>)) {
    if (val === undefined) continue;
    if (isScalar(val)) out.push(`${indent}${key(k)}: ${scalar(val)}`);
    else if (Array.isArray(val) && val.length === 0) out.push(`${indent}${key(k)}: []`);
    else if (!Array.isArray(val) && Object.keys(val).length === 0) out.push(`${indent}${key(k)}: {}`);
    else {
      out.push(`${indent}${key(k)}:`);
      emit(val, Array.isArray(val) ? indent : `${indent}  `, out);
    }
  }
}

/** Returns one YAML document (no leading `---`), ending with a newline. */
export function toYaml(v: YamlValue): string {
  const out: string[] = [];
  emit(v, '', out);
  return `${out.join('\n')}\n`;
}

/** Returns a multi-document YAML stream with a header comment. */
export function toYamlStream(header: string, docs: readonly YamlValue[]): string {
  const head = header
    .split('\n')
    .map((l) => (l ? `# ${l}` : '#'))
    .join('\n');
  return `${head}\n${docs.map((d) => `---\n${toYaml(d)}`).join('')}`;
}
