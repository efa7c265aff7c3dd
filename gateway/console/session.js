// Who is signed in, and navigation between views (ids people were shown travel in the hash).
import { loadIdentity } from './api.js';

const session = { me: undefined };

/** The signed-in member as the chain has it (GET me), once known. */
export const me = () => session.me;
export const setMe = (member) => (session.me = member);
export const roles = () => session.me?.roles ?? loadIdentity()?.roles ?? [];
export const hasRole = (...want) => want.some((r) => roles().includes(r));
export const myHandle = () => session.me?.handle ?? loadIdentity()?.keyId;

/** Navigates to a view with params. */
export function go(path, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')).toString();
  location.hash = `#/${path}${q ? `?${q}` : ''}`;
}

/** A link to a view with params. */
export function href(path, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')).toString();
  return `#/${path}${q ? `?${q}` : ''}`;
}
