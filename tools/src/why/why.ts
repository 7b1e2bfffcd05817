/**
 * Explains one order, fill, intent or fair-value signal of a recorded session: the causal chain
 * across the services, read from the session's log (docs/why.md).
 *
 *   node --import tsx tools/src/why/why.ts --session <id> --order <clientOrderId> | --fill <fillId> | --intent <intentId> | --signal <fvStateEventId> [--json]
 *
 * Exit 0 when found, 1 when the session has no such id or cannot be read, 2 on a bad command line.
 */
import { SessionSourceError } from '../replay/session-source';
import { parseWhyArgs, WHY_USAGE, WhyArgsError } from './why-args';
import { whyFill, whyIntent, whyOrder, whySignal } from './why-chain';
import { loadWhyIndex } from './why-source';
import { formatOrderChain, formatSignalChain } from './why-text';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseWhyArgs(argv);
  if (args.help) {
    process.stdout.write(`${WHY_USAGE}\n`);
    return 0;
  }
  const { index } = await loadWhyIndex(args.outDir, args.sessionId);
  const { kind, id } = args.subject;
  const chain = kind === 'order' ? whyOrder(index, id) : kind === 'fill' ? whyFill(index, id) : kind === 'intent' ? whyIntent(index, id) : whySignal(index, id);
  if (chain === undefined) {
    process.stderr.write(`why: session ${args.sessionId} has no ${kind} ${id}\n`);
    return 1;
  }
  process.stdout.write(`${args.json ? JSON.stringify({ sessionId: args.sessionId, ...chain }, null, 2) : chain.kind === 'signal' ? formatSignalChain(chain) : formatOrderChain(chain)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof WhyArgsError || error instanceof SessionSourceError;
    process.stderr.write(`why: ${error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error)}\n${error instanceof WhyArgsError ? `${WHY_USAGE}\n` : ''}`);
    process.exit(error instanceof WhyArgsError ? 2 : 1);
  },
);
