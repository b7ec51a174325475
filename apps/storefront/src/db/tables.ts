import { productsTable, schemaIdentifier } from "../catalog/sql.js";

/** Schema-qualified table names: every storefront query names its tables through these. */
export interface Tables {
  readonly schema: string;
  readonly products: string;
  readonly carts: string;
  readonly cartItems: string;
  readonly orders: string;
  readonly orderLines: string;
  readonly orderEvents: string;
  readonly idempotencyKeys: string;
  readonly emailOutbox: string;
}

export function tables(schema: string): Tables {
  const qualified = (name: string) => `${schemaIdentifier(schema)}.${name}`;
  return {
    schema,
    products: productsTable(schema),
    carts: qualified("carts"),
    cartItems: qualified("cart_items"),
    orders: qualified("orders"),
    orderLines: qualified("order_lines"),
    orderEvents: qualified("order_events"),
    idempotencyKeys: qualified("idempotency_keys"),
    emailOutbox: qualified("email_outbox"),
  };
}
