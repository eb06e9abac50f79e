// npm run eval:faq [-- --misses] [-- --threshold 0.5]: the offline FAQ responder on the labelled
// evaluation set (src/ai/faq-eval/): top-1 accuracy and wrong answers per language and half.
import { evaluateFaq } from '../src/ai/faq-eval/evaluate.ts';
import { FAQ_CONFIDENCE_THRESHOLD } from '../src/ai/faq-responder.ts';

const args = process.argv.slice(2);
const t = args.indexOf('--threshold');
const threshold = t >= 0 ? Number(args[t + 1]) : FAQ_CONFIDENCE_THRESHOLD;
const { lines, misses } = evaluateFaq(threshold);
const pct = (a: number, b: number) => (b === 0 ? '   –  ' : `${((100 * a) / b).toFixed(1).padStart(5)} %`);
console.log(`offline FAQ responder, confidence threshold ${threshold}`);
console.log('half  lang  answerable  top-1 correct     wrong  handed off  out-of-scope  answered (must be 0)');
for (const l of lines) {
  console.log(`${l.half.padEnd(5)} ${l.lang.padEnd(5)} ${String(l.answerable).padStart(10)}  ${String(l.correct).padStart(4)} ${pct(l.correct, l.answerable)}  ${String(l.wrong).padStart(8)}  ${String(l.abstained).padStart(10)}  ${String(l.outOfScope).padStart(12)}  ${String(l.outOfScopeAnswered).padStart(8)}`);
}
// Misses of the development half only: tuning looks at it, the test half is for reporting.
if (args.includes('--misses')) {
  for (const m of misses.filter((x) => x.question.half === 'dev' || args.includes('--all'))) console.log(`${m.question.half} ${m.question.lang} ${m.question.set}: "${m.question.text}" want ${m.question.entry ?? 'handoff'} got ${m.got ?? 'handoff'} (${m.confidence.toFixed(2)})`);
}
if (args.includes('--sweep')) {
  for (let th = 0.3; th <= 0.71; th += 0.02) {
    const r = evaluateFaq(th).lines.filter((l) => l.half === 'dev');
    console.log(`dev @${th.toFixed(2)}: ${r.map((l) => `${l.lang} ${pct(l.correct, l.answerable)} wrong ${l.wrong} oos ${l.outOfScopeAnswered}`).join(' | ')}`);
  }
}
const testFail = lines.some((l) => l.half === 'test' && (l.correct < 0.85 * l.answerable || l.outOfScopeAnswered > 0));
process.exitCode = testFail ? 1 : 0;
