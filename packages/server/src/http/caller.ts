// The authenticated caller of a request, looked up once and kept on the request.
import type { FastifyRequest } from 'fastify';
import { authenticate, requirePrivate, type Caller } from '../accounts/authenticate.ts';
import type { Db } from '../storage/db.ts';

const callers = new WeakMap<FastifyRequest, Promise<Caller | null>>();

export function callerOf(db: Db, request: FastifyRequest): Promise<Caller | null> {
  let caller = callers.get(request);
  if (!caller) {
    caller = authenticate(db, request.headers.authorization);
    callers.set(request, caller);
  }
  return caller;
}

export const privateCallerOf = async (db: Db, request: FastifyRequest): Promise<Caller> => requirePrivate(await callerOf(db, request));
