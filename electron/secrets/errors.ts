// A failure of the key store is one the user can act on (re-enter the key, fix a file),
// so it is an AppFailure: dispatch() passes its message and action to the renderer as is.
// Messages never contain the key or any part of it.
import { AppFailure } from '../core/api/types.ts';

export class SecretStoreError extends AppFailure {
  override name = 'SecretStoreError';
  constructor(message: string, action?: string) {
    super('internal', message, action);
  }
}
