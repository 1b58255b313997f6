// One rule for "this run is CI", for every suite that must fail in CI where it would skip elsewhere
// (a missing Chromium, Redis or PostgreSQL). CI services set `CI=true` or `CI=1`; `.ci/run` sets `true`.

/**
 * True when `CI` is set to anything but an empty string, `false` or `0` (any case, spaces ignored).
 *
 * @example inCI({ CI: '1' }) // true
 * @example inCI({ CI: 'false' }) // false
 */
export function inCI(env = process.env) {
  const value = (env.CI ?? '').trim().toLowerCase()
  return value !== '' && value !== 'false' && value !== '0'
}
