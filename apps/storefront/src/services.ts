import type pg from "pg";
import { CartStore } from "./carts/store.js";
import { CheckoutService } from "./checkout/service.js";
import type { Tables } from "./db/tables.js";
import { OrderRepository } from "./orders/repository.js";
import { OrderWorkflow } from "./orders/workflow.js";
import type { PaymentProvider } from "./payments/provider.js";
import { ProductRepository } from "./products/repository.js";
import type { ProductSearch } from "./search/service.js";

/** What the routes use, built from the connections once per process. */
export interface Services {
  pool: pg.Pool;
  tables: Tables;
  products: ProductRepository;
  search: ProductSearch;
  carts: CartStore;
  orders: OrderRepository;
  workflow: OrderWorkflow;
  checkout: CheckoutService;
}

export function createServices(pool: pg.Pool, tables: Tables, search: ProductSearch, payments: PaymentProvider): Services {
  const workflow = new OrderWorkflow(pool, tables, payments);
  return {
    pool,
    tables,
    products: new ProductRepository(pool, tables),
    search,
    carts: new CartStore(pool, tables),
    orders: new OrderRepository(tables),
    workflow,
    checkout: new CheckoutService(pool, tables, workflow, payments),
  };
}
