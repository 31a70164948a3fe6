/**
 * Waits until the catalog has ingested and stitched what it loads: at least
 * `minimum` entities are visible to `token` and the relations have stopped
 * changing. Ingestion is asynchronous, so every test backend waits for it.
 */
export async function waitForCatalog(
  backend: { baseUrl: string },
  token: string,
  minimum: number,
) {
  const deadline = Date.now() + 60_000;
  let last = '';
  let stableRounds = 0;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-query?limit=1000&fields=metadata.name,relations`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (response.ok) {
      const { items } = (await response.json()) as {
        items: Array<{ relations?: unknown[] }>;
      };
      const fingerprint = `${items.length}:${items.reduce((n, e) => n + (e.relations?.length ?? 0), 0)}`;
      stableRounds =
        items.length >= minimum && fingerprint === last ? stableRounds + 1 : 0;
      last = fingerprint;
      if (stableRounds >= 3) return;
    }
    await new Promise(r => setTimeout(r, 300));
  }
  throw new Error(`The catalog did not settle in time (last seen ${last})`);
}
