import type { ClientBase } from "pg";
import type { NewProduct } from "./product.js";
import { productsTable } from "./sql.js";

/**
 * A deterministic synthetic catalog for dev stacks and benchmarks: product `n` of seed `s` is
 * always the same, so two machines seeded with the same count hold the same catalog and a
 * benchmark's input is reproducible.
 */

const BRANDS = ["Acme", "Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Soylent", "Cyberdyne", "Wonka", "Gringotts"];
const CATEGORIES: readonly (readonly string[])[] = [
  ["Home", "Kitchen", "Knives"], ["Home", "Kitchen", "Cookware"], ["Home", "Bedding"], ["Home", "Lighting"],
  ["Garden", "Tools"], ["Garden", "Furniture"], ["Sports", "Running", "Shoes"], ["Sports", "Cycling"],
  ["Sports", "Camping", "Tents"], ["Electronics", "Audio", "Headphones"], ["Electronics", "Computers", "Keyboards"],
  ["Electronics", "Phones", "Cases"], ["Fashion", "Women", "Jackets"], ["Fashion", "Men", "Shirts"], ["Toys", "Puzzles"], ["Books"],
];
const ADJECTIVES = ["Classic", "Compact", "Deluxe", "Ergonomic", "Lightweight", "Premium", "Rugged", "Sleek", "Smart", "Vintage", "Waterproof", "Wireless", "Organic", "Foldable", "Heavy-Duty", "Portable"];
const NOUNS = ["Knife", "Pan", "Duvet", "Lamp", "Shovel", "Chair", "Sneaker", "Helmet", "Tent", "Headphones", "Keyboard", "Case", "Jacket", "Shirt", "Puzzle", "Notebook"];
const WORDS = ["durable", "steel", "cotton", "crafted", "everyday", "comfort", "design", "quality", "outdoor", "precise", "balanced", "warm", "bright", "quiet", "fast", "soft", "reliable", "tested", "recycled", "handmade", "modern", "travel", "gift", "family"];
const COLORS = ["black", "white", "red", "blue", "green", "grey", "navy", "olive", "sand", "orange"];
const SIZES = ["XS", "S", "M", "L", "XL"];
const MATERIALS = ["steel", "aluminium", "cotton", "wool", "leather", "bamboo", "plastic", "glass"];

/** mulberry32: a tiny, fast PRNG; good enough for synthetic data and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

export function seedSku(n: number): string {
  return `SKU-${String(n).padStart(8, "0")}`;
}

/** Product `n` (1-based) of the synthetic catalog `seed`. */
export function syntheticProduct(n: number, seed = 1): NewProduct {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`product number ${n} must be a positive integer`);
  const next = mulberry32(Math.imul(n, 0x9e3779b1) ^ seed);
  const kind = Math.floor(next() * NOUNS.length);
  const noun = NOUNS[kind] ?? "Item";
  const categoryPath = [...(CATEGORIES[kind] ?? ["Misc"])];
  const brand = next() < 0.05 ? null : pick(next, BRANDS);
  const title = `${brand ?? "Generic"} ${pick(next, ADJECTIVES)} ${noun} ${pick(next, COLORS)}`;
  const sentences: string[] = [];
  const sentenceCount = 2 + Math.floor(next() * 4);
  for (let s = 0; s < sentenceCount; s++) {
    const words = Array.from({ length: 6 + Math.floor(next() * 8) }, () => pick(next, WORDS));
    sentences.push(`${words.join(" ")}.`);
  }
  const attributes: Record<string, unknown> = { color: pick(next, COLORS), material: pick(next, MATERIALS) };
  if (categoryPath[0] === "Fashion" || categoryPath[0] === "Sports") attributes.size = pick(next, SIZES);
  if (next() < 0.3) attributes.weight_g = 50 + Math.floor(next() * 5000);
  if (next() < 0.2) attributes.tags = [pick(next, WORDS), pick(next, WORDS)];
  if (next() < 0.1) attributes.eco = true;
  return {
    sku: seedSku(n),
    title,
    description: `${title}: ${sentences.join(" ")}`,
    brand,
    categoryPath,
    priceCents: 99 + Math.floor(next() * 49_900),
    currency: "EUR",
    attributes,
    stock: next() < 0.1 ? 0 : Math.floor(next() * 500),
  };
}

export interface SeedOptions {
  client: ClientBase;
  schema: string;
  /** Products 1..count. */
  count: number;
  seed?: number;
  /** Rows per INSERT statement. */
  batchSize?: number;
  onProgress?: (done: number, inserted: number) => void;
}

export interface SeedResult {
  /** Rows newly inserted; products that already exist (by SKU) are left as they are. */
  inserted: number;
  existing: number;
}

/**
 * Insert products 1..count of the synthetic catalog, `batchSize` rows per statement through
 * unnest() arrays. Idempotent: a product whose SKU exists is skipped, so seeding 1M after 100k
 * adds the other 900k. Memory stays at one batch.
 */
export async function seedCatalog(options: SeedOptions): Promise<SeedResult> {
  const { client, count } = options;
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`count ${count} must be a positive integer`);
  const batchSize = options.batchSize ?? 5_000;
  const table = productsTable(options.schema);
  let inserted = 0;
  for (let start = 1; start <= count; start += batchSize) {
    const end = Math.min(count, start + batchSize - 1);
    const columns: [string[], string[], string[], (string | null)[], string[], number[], string[], string[], number[]] = [[], [], [], [], [], [], [], [], []];
    for (let n = start; n <= end; n++) {
      const product = syntheticProduct(n, options.seed);
      columns[0].push(product.sku);
      columns[1].push(product.title);
      columns[2].push(product.description);
      columns[3].push(product.brand);
      columns[4].push(product.categoryPath.join("\u001f"));
      columns[5].push(product.priceCents);
      columns[6].push(product.currency);
      columns[7].push(JSON.stringify(product.attributes));
      columns[8].push(product.stock);
    }
    const result = await client.query(
      `INSERT INTO ${table} (sku, title, description, brand, category_path, price_cents, currency, attributes, stock)
       SELECT sku, title, description, brand, string_to_array(category, chr(31)), price_cents, currency, attributes::jsonb, stock
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::int[])
         AS batch(sku, title, description, brand, category, price_cents, currency, attributes, stock)
       ORDER BY sku
       ON CONFLICT (sku) DO NOTHING`,
      columns,
    );
    inserted += result.rowCount ?? 0;
    options.onProgress?.(end, inserted);
  }
  return { inserted, existing: count - inserted };
}
