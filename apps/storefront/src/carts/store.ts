import type pg from "pg";
import { withTransaction } from "../db/transaction.js";
import type { Tables } from "../db/tables.js";
import { ApiError } from "../http/errors.js";
import type { CartResponse } from "./schemas.js";

interface CartRow {
  id: string;
  status: "open" | "checked_out";
  created_at: Date;
  updated_at: Date;
}

interface LineRow {
  sku: string;
  title: string;
  quantity: number;
  price_cents: string;
  currency: string;
  stock: number;
  deleted: boolean;
}

interface ProductRef {
  id: string;
  currency: string;
  stock: number;
}

type Queryable = Pick<pg.PoolClient, "query">;

export const MAX_LINE_QUANTITY = 99;

function cartNotFound(): ApiError {
  return new ApiError(404, "cart_not_found", "no cart has this id", "cartId");
}

/** Carts in PostgreSQL. Every change locks the cart row, so concurrent edits of one cart serialize. */
export class CartStore {
  constructor(private readonly pool: pg.Pool, private readonly tables: Tables) {}

  async create(): Promise<CartResponse> {
    const { rows } = await this.pool.query<CartRow>(`INSERT INTO ${this.tables.carts} DEFAULT VALUES RETURNING id, status, created_at, updated_at`);
    const cart = rows[0];
    if (cart === undefined) throw new Error("INSERT INTO carts returned no row");
    return this.present(cart, []);
  }

  async get(cartId: string): Promise<CartResponse> {
    const { rows } = await this.pool.query<CartRow>(`SELECT id, status, created_at, updated_at FROM ${this.tables.carts} WHERE id = $1`, [cartId]);
    const cart = rows[0];
    if (cart === undefined) throw cartNotFound();
    return this.present(cart, await this.lines(this.pool, cartId));
  }

  async addItem(cartId: string, sku: string, quantity: number): Promise<CartResponse> {
    return this.change(cartId, async (client) => {
      const product = await this.product(client, sku);
      const { rows: currencies } = await client.query<{ currency: string }>(
        `SELECT DISTINCT p.currency FROM ${this.tables.cartItems} ci JOIN ${this.tables.products} p ON p.id = ci.product_id WHERE ci.cart_id = $1 AND ci.product_id <> $2`,
        [cartId, product.id],
      );
      const other = currencies.find((row) => row.currency !== product.currency);
      if (other !== undefined) {
        throw new ApiError(422, "currency_mismatch", `${sku} is priced in ${product.currency}, the cart in ${other.currency}; a cart holds one currency`, "sku");
      }
      const { rows: existing } = await client.query<{ quantity: number }>(
        `SELECT quantity FROM ${this.tables.cartItems} WHERE cart_id = $1 AND product_id = $2`,
        [cartId, product.id],
      );
      const total = (existing[0]?.quantity ?? 0) + quantity;
      if (total > MAX_LINE_QUANTITY) {
        throw new ApiError(422, "quantity_limit", `the line would hold ${total} of ${sku}; a line holds at most ${MAX_LINE_QUANTITY}`, "quantity", { details: { inCart: existing[0]?.quantity ?? 0, max: MAX_LINE_QUANTITY } });
      }
      this.checkStock(sku, product, total);
      await client.query(
        `INSERT INTO ${this.tables.cartItems} (cart_id, product_id, quantity) VALUES ($1, $2, $3)
         ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
        [cartId, product.id, total],
      );
    });
  }

  async setQuantity(cartId: string, sku: string, quantity: number): Promise<CartResponse> {
    return this.change(cartId, async (client) => {
      const product = await this.lineProduct(client, cartId, sku);
      this.checkStock(sku, product, quantity);
      await client.query(`UPDATE ${this.tables.cartItems} SET quantity = $3 WHERE cart_id = $1 AND product_id = $2`, [cartId, product.id, quantity]);
    });
  }

  async removeItem(cartId: string, sku: string): Promise<CartResponse> {
    return this.change(cartId, async (client) => {
      const product = await this.lineProduct(client, cartId, sku);
      await client.query(`DELETE FROM ${this.tables.cartItems} WHERE cart_id = $1 AND product_id = $2`, [cartId, product.id]);
    });
  }

  private checkStock(sku: string, product: ProductRef, quantity: number): void {
    if (quantity > product.stock) {
      throw new ApiError(409, "insufficient_stock", `only ${product.stock} of ${sku} in stock`, "quantity", { details: { sku, available: product.stock } });
    }
  }

  /** Locks the open cart, applies `edit`, and returns the cart as it is afterwards. */
  private async change(cartId: string, edit: (client: pg.PoolClient) => Promise<void>): Promise<CartResponse> {
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<CartRow>(`SELECT id, status, created_at, updated_at FROM ${this.tables.carts} WHERE id = $1 FOR UPDATE`, [cartId]);
      const cart = rows[0];
      if (cart === undefined) throw cartNotFound();
      if (cart.status !== "open") throw new ApiError(409, "cart_checked_out", "this cart was checked out; create a new cart", "cartId");
      await edit(client);
      const { rows: updated } = await client.query<CartRow>(`UPDATE ${this.tables.carts} SET updated_at = now() WHERE id = $1 RETURNING id, status, created_at, updated_at`, [cartId]);
      return this.present(updated[0] ?? cart, await this.lines(client, cartId));
    });
  }

  private async product(client: Queryable, sku: string): Promise<ProductRef> {
    const { rows } = await client.query<ProductRef>(`SELECT id, currency, stock FROM ${this.tables.products} WHERE sku = $1 AND deleted_at IS NULL`, [sku]);
    const product = rows[0];
    if (product === undefined) throw new ApiError(422, "unknown_product", `no product has the SKU ${sku}`, "sku");
    return product;
  }

  private async lineProduct(client: Queryable, cartId: string, sku: string): Promise<ProductRef> {
    const { rows } = await client.query<ProductRef>(
      `SELECT p.id, p.currency, p.stock FROM ${this.tables.cartItems} ci JOIN ${this.tables.products} p ON p.id = ci.product_id WHERE ci.cart_id = $1 AND p.sku = $2`,
      [cartId, sku],
    );
    const product = rows[0];
    if (product === undefined) throw new ApiError(404, "item_not_found", `the cart holds no ${sku}`, "sku");
    return product;
  }

  private async lines(client: Queryable, cartId: string): Promise<LineRow[]> {
    const { rows } = await client.query<LineRow>(
      `SELECT p.sku, p.title, ci.quantity, p.price_cents, p.currency, p.stock, p.deleted_at IS NOT NULL AS deleted
       FROM ${this.tables.cartItems} ci JOIN ${this.tables.products} p ON p.id = ci.product_id
       WHERE ci.cart_id = $1 ORDER BY ci.added_at, p.sku`,
      [cartId],
    );
    return rows;
  }

  private present(cart: CartRow, lines: LineRow[]): CartResponse {
    const items = lines.map((line) => {
      const unitPriceCents = Number(line.price_cents);
      return {
        sku: line.sku,
        title: line.title,
        quantity: line.quantity,
        unitPriceCents,
        lineTotalCents: unitPriceCents * line.quantity,
        currency: line.currency,
        available: !line.deleted && line.stock >= line.quantity,
      };
    });
    // A withdrawn product cannot be bought: it stays listed (so the shopper sees why) but is not counted.
    const counted = items.filter((_, index) => lines[index]?.deleted === false);
    const subtotalCents = counted.reduce((sum, item) => sum + item.lineTotalCents, 0);
    return {
      id: cart.id,
      status: cart.status,
      items,
      currency: items[0]?.currency ?? null,
      itemCount: counted.reduce((sum, item) => sum + item.quantity, 0),
      subtotalCents,
      totalCents: subtotalCents,
      createdAt: cart.created_at.toISOString(),
      updatedAt: cart.updated_at.toISOString(),
    };
  }
}
