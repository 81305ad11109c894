// The state an in-process standin (standin/testing, the broadcast-channel host) starts from: the
// heartbeat is off unless configured (nothing pings a fake socket), and bad data is a thrown TypeError.
import { createState, DirectusError, type AuthMode, type Config, type DialectName, type State } from '../core/index.ts';

export interface InProcessOptions {
  /** The data file's content (collections + `directus_*` records). */
  readonly data: unknown;
  /** A Directus schema snapshot; inferred from `data` when absent. */
  readonly schema?: unknown;
  /** The auth mode, or a partial config. The heartbeat is off unless configured. */
  readonly auth?: AuthMode | Partial<Config>;
  /** Seed for new ids and tokens. */
  readonly seed?: number;
  /** The database to answer like where Directus's replies depend on it (default `sqlite`). */
  readonly dialect?: DialectName;
}

export const initialState = (options: InProcessOptions, defaultSeed: number): State => {
  const dialect = options.dialect === undefined ? {} : { dialect: options.dialect };
  const config: Partial<Config> = typeof options.auth === 'string'
    ? { authMode: options.auth, heartbeatPeriod: 0, ...dialect }
    : { heartbeatPeriod: 0, ...options.auth, ...dialect };
  const initial = createState({ data: options.data, schema: options.schema, config, seed: options.seed ?? defaultSeed });
  if (initial instanceof DirectusError) throw new TypeError(`standin: ${initial.message}`);
  return initial;
};
