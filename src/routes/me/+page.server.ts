import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';

export const load = pageLoad({ signIn: true }, ({ user }) => ({ user: { username: user.username, role: user.role }, testHooks: env.MAP_TEST_HOOKS === '1' }));
