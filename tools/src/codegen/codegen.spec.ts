import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Type } from 'avsc';
import { AVRO_SCHEMAS } from '@fleet/contracts';
import { generate, GENERATED_DIR } from './generate';
import { staleFiles } from './main';

const repoRoot = resolve(__dirname, '..', '..', '..');

function writeSchema(root: string, kind: string, file: string, schema: unknown): void {
  mkdirSync(join(root, 'schemas', kind), { recursive: true });
  writeFileSync(join(root, 'schemas', kind, file), typeof schema === 'string' ? schema : JSON.stringify(schema));
}

const envelope = {
  type: 'record',
  name: 'Envelope',
  namespace: 'fleet.common',
  doc: 'Header.',
  fields: [{ name: 'eventId', type: 'string', doc: 'Id.' }],
};

describe('codegen', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'codegen-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives byte-identical output on every run, equal to the committed files', () => {
    const first = generate(repoRoot);
    expect(generate(repoRoot)).toEqual(first);
    expect(staleFiles(join(repoRoot, GENERATED_DIR), first)).toEqual([]);
  });

  it('puts the do-not-edit banner on every generated file', () => {
    for (const content of generate(repoRoot).values()) expect(content.split('\n')[0]).toContain('do not edit');
  });

  it('inlines a referenced type at its first use and refers to it by name after that', () => {
    const decision = JSON.stringify(AVRO_SCHEMAS['fleet.events.RiskDecision']);
    expect(decision.match(/"name":"Envelope"/g)).toHaveLength(1);
    expect(decision).toContain('"type":"fleet.common.Envelope"');
    expect(decision.match(/"name":"RiskRegime"/g)).toHaveLength(1);
  });

  it('round-trips a random value of every expanded schema through avsc', () => {
    for (const [name, schema] of Object.entries(AVRO_SCHEMAS)) {
      const type = Type.forSchema(schema as Parameters<typeof Type.forSchema>[0]);
      const value: unknown = type.random();
      expect([name, type.fromBuffer(type.toBuffer(value))]).toEqual([name, value]);
    }
  });

  it('refuses a schema avsc refuses, naming the file', () => {
    writeSchema(scratch, 'common', 'envelope.avsc', envelope);
    writeSchema(scratch, 'events', 'broken.avsc', {
      type: 'record',
      name: 'Broken',
      namespace: 'fleet.events',
      doc: 'Broken.',
      fields: [
        { name: 'a', type: 'string', doc: 'A.' },
        { name: 'a', type: 'int', doc: 'Duplicate.' },
      ],
    });
    expect(() => generate(scratch)).toThrow(/^schemas\/events\/broken\.avsc: is not a valid Avro schema/);
  });

  it('refuses an unknown reference, invalid JSON, a float and a misnamed file, naming the file', () => {
    writeSchema(scratch, 'events', 'dangling.avsc', { type: 'record', name: 'Dangling', namespace: 'fleet.events', doc: 'D.', fields: [{ name: 'x', type: 'fleet.common.Nope', doc: 'X.' }] });
    expect(() => generate(scratch)).toThrow('schemas/events/dangling.avsc: references fleet.common.Nope');
    rmSync(join(scratch, 'schemas'), { recursive: true });
    writeSchema(scratch, 'events', 'bad-json.avsc', '{ not json');
    expect(() => generate(scratch)).toThrow('schemas/events/bad-json.avsc: is not valid JSON');
    rmSync(join(scratch, 'schemas'), { recursive: true });
    writeSchema(scratch, 'events', 'floaty.avsc', { type: 'record', name: 'Floaty', namespace: 'fleet.events', doc: 'F.', fields: [{ name: 'price', type: 'float', doc: 'P.' }] });
    expect(() => generate(scratch)).toThrow('schemas/events/floaty.avsc: uses float');
    rmSync(join(scratch, 'schemas'), { recursive: true });
    writeSchema(scratch, 'common', 'wrong-name.avsc', envelope);
    expect(() => generate(scratch)).toThrow('schemas/common/wrong-name.avsc: defines Envelope, so the file must be named envelope.avsc');
  });

  it('refuses a field without a doc', () => {
    writeSchema(scratch, 'common', 'envelope.avsc', { ...envelope, fields: [{ name: 'eventId', type: 'string' }] });
    expect(() => generate(scratch)).toThrow('schemas/common/envelope.avsc: field Envelope.eventId needs a doc');
  });

  it('names changed, missing and extra files as stale', () => {
    const files = new Map([
      ['a.ts', 'A'],
      ['b.ts', 'B'],
      ['c.ts', 'C'],
    ]);
    writeFileSync(join(scratch, 'a.ts'), 'A');
    writeFileSync(join(scratch, 'b.ts'), 'changed');
    writeFileSync(join(scratch, 'extra.ts'), 'X');
    expect(staleFiles(scratch, files)).toEqual(['b.ts', 'c.ts', 'extra.ts']);
  });

  it('emits enums as string-literal unions and records with readonly documented fields', () => {
    const files = generate(repoRoot);
    expect(files.get('side.ts')).toContain("export type Side = 'BUY' | 'SELL';");
    const book = files.get('book-snapshot.ts') ?? '';
    expect(book).toContain('readonly bids: readonly PriceLevel[];');
    expect(book).toContain('readonly tickSize: DecimalString;');
    expect(book).toContain('readonly exchangeTimeUs: TimestampMicros | null;');
    expect(book).toMatch(/\/\*\* Ask levels, best \(lowest\) first\. \*\/\n {2}readonly asks/);
  });
});
