// The container image's HEALTHCHECK, right for whichever process the container runs: the web server
// answers /api/health on PORT, the worker serves /metrics on WORKER_METRICS_PORT. Healthy (exit 0) when
// either answers 200. Plain JavaScript that reads the two ports itself: it runs every 30 s, so it skips
// tsx and lib/env.ts.
const targets = [
  `http://127.0.0.1:${process.env.PORT || 3000}/api/health`,
  `http://127.0.0.1:${process.env.WORKER_METRICS_PORT || 9464}/metrics`,
];

const answers = await Promise.all(
  targets.map((url) =>
    fetch(url, { signal: AbortSignal.timeout(4000) }).then(
      (res) => res.status,
      () => "no answer",
    ),
  ),
);
const healthy = answers.includes(200);
if (!healthy) console.error(targets.map((url, i) => `${url}: ${answers[i]}`).join("\n"));
process.exit(healthy ? 0 : 1);
