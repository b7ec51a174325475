import { type Client, errors } from "@opensearch-project/opensearch";
import { UnavailableError } from "../http/errors.js";
import type { SearchRequest } from "./params.js";
import { buildSearchBody } from "./query.js";
import { readSearchResponse, type SearchResult } from "./results.js";

/** Product search through the alias that `shopctl reindex` swaps; never a concrete index. */
export class ProductSearch {
  constructor(private readonly client: Client, readonly alias: string) {}

  async search(request: SearchRequest, traceHeader?: string): Promise<SearchResult> {
    const response = await this.call(() => this.client.transport.request({ method: "POST", path: this.searchPath, body: buildSearchBody(request) }, this.options(traceHeader)));
    return readSearchResponse(response.body, request);
  }

  /** Readiness: the alias resolves and answers a search. */
  async check(): Promise<void> {
    await this.call(() => this.client.transport.request({ method: "POST", path: this.searchPath, body: { size: 0, query: { match_all: {} } } }));
  }

  private get searchPath(): string {
    return `/${encodeURIComponent(this.alias)}/_search`;
  }

  private options(traceHeader: string | undefined) {
    return traceHeader === undefined ? {} : { headers: { "x-amzn-trace-id": traceHeader } };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof errors.ResponseError && error.statusCode === 404) {
        throw new UnavailableError("search_unavailable", `the search index alias "${this.alias}" does not exist yet; run shopctl reindex`);
      }
      if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError
        || (error instanceof errors.ResponseError && (error.statusCode === 429 || error.statusCode >= 500))) {
        throw new UnavailableError("search_unavailable", "search is unavailable; retry shortly");
      }
      throw error;
    }
  }
}
