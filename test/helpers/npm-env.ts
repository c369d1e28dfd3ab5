/**
 * The environment for an npm child process: this one's, without the `npm_*` variables that `npm test` sets
 * (lifecycle event, package fields, config copies), so the child reads its own command line and config files.
 */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return { ...env, ...extra };
}
