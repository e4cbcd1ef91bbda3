/// <reference types="vite/client" />
import type { User } from '$lib/server/accounts/accounts';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** the signed-in user, or null for an anonymous caller */
			user: User | null;
		}
	}
}

export {};
