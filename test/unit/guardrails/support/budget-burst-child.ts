// Run as a separate OS process by the cross-process test: fires a burst and prints its result.
import { fireBudgetedRequests } from './fire-budgeted-requests';

const [directory, count, budget, prefix] = process.argv.slice(2);
// Both children wait for the same instant so that their bursts really overlap.
const startAt = Number(process.env.START_AT ?? '0');
setTimeout(
  () => {
    fireBudgetedRequests({ directory: directory ?? '', count: Number(count), budgetUsd: Number(budget), prefix: prefix ?? 'child' }).then(
      (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
      (error: unknown) => {
        process.stderr.write(String(error));
        process.exit(1);
      },
    );
  },
  Math.max(0, startAt - Date.now()),
);
