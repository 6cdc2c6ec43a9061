// A minimal Backstage backend for stackgate's integration tests: the auth backend with the guest
// provider (it issues real user tokens) and the catalog backend (ownership), on an in-memory
// better-sqlite3 database. Started as a child process by ../backstage.mjs with
// `node index.js --config app-config.yaml` and PORT in the environment.
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.start();
