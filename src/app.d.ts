/// <reference types="vite/client" />
declare global {
	namespace App {
		interface Error {
			message: string;
		}
	}
}

export {};
