/**
 * The routes Perpetuo offers in every picker: each picks a model per request. Ids are the ones
 * the router understands (`perpetuo/<route>`).
 */
export const ROUTE_MODELS = [
  { id: 'perpetuo/auto', name: 'Perpetuo Auto', detail: 'Picks a model per prompt, within your budget' },
  { id: 'perpetuo/cheapest', name: 'Perpetuo Cheapest', detail: 'The cheapest model that can serve the request' },
  { id: 'perpetuo/fastest', name: 'Perpetuo Fastest', detail: 'Highest measured throughput' },
  { id: 'perpetuo/reliable', name: 'Perpetuo Reliable', detail: 'Lowest measured error rate' },
] as const;
