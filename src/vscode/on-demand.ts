/**
 * Everything Perpetuo loads on first use instead of at activation, as one bundle beside the
 * extension (`dist/on-demand.js`, an esbuild entry): the routing engine and its adapters, the
 * catalog, ledger and budget services, the dashboard controller, the endpoint server, key tests
 * and the OpenRouter sign-in. `dist/extension.js` keeps only what activation runs (see
 * ARCHITECTURE.md, "Bundles"); `loadOnDemand` requires this bundle the first time one is needed.
 *
 * One bundle rather than one per feature: modules shared by several features (catalog cache,
 * circuit breaker, metrics) then exist once per window, not once per bundle.
 */
export { buildRoutingEngine } from './build-routing-engine';
export { createPerpetuoServices } from './perpetuo-services';
export { createDashboardDataSource } from './create-dashboard-data-source';
export { DashboardController } from './dashboard/dashboard-controller';
export { createEndpointServer } from '../server/create-endpoint-server';
export { driverFor } from '../core/providers/provider-registry';
export { buildOpenRouterAuthUrl, createPkcePair, exchangeOpenRouterCode, resolveOpenRouterSignInUrls } from '../core/providers/openrouter-oauth';
