export { buildOpenRouterAuthUrl, OPENROUTER_AUTH_PAGE } from './build-openrouter-auth-url';
export { computeS256Challenge, createPkcePair, type PkcePair } from './create-pkce-pair';
export { exchangeOpenRouterCode, OPENROUTER_API_BASE } from './exchange-openrouter-code';
export { resolveOpenRouterSignInUrls, type OpenRouterSignInUrls } from './resolve-openrouter-sign-in-urls';
