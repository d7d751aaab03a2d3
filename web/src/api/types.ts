// The shapes of API.md, one place for the whole app.

export type Unit = "cl" | "ml" | "dash" | "piece" | "barspoon" | "top";
export const UNITS: Unit[] = ["cl", "ml", "dash", "piece", "barspoon", "top"];

export interface Section {
  id: string;
  name: string;
  description: string;
  display_order: number;
}

export interface Ingredient {
  name: string;
  amount: number | null;
  unit: Unit | null;
}

/** What a diet filter asks for (`GET {menu}/drinks?suitable_for=`). */
export type SuitableFor =
  | "alcohol-free"
  | "vegan"
  | "vegetarian"
  | "dairy-free"
  | "egg-free"
  | "nut-free"
  | "gluten-free"
  | "caffeine-free";
export const SUITABLE_FOR: SuitableFor[] = [
  "alcohol-free",
  "vegan",
  "vegetarian",
  "dairy-free",
  "egg-free",
  "nut-free",
  "gluten-free",
  "caffeine-free",
];

/** Derived by the menu service from the ingredient names, never typed by hand. A drink with any
 * unknown ingredient has `suitable_for: []`: it is never claimed safe for a diet. */
export interface DrinkFacts {
  /** Fact tags, sorted: "alcohol", "egg", "nuts", "spirit:gin"… */
  contains: string[];
  /** As written on the drink. */
  unknown_ingredients: string[];
  suitable_for: SuitableFor[];
}

export interface Drink {
  id: string;
  section_id: string;
  name: string;
  description: string;
  ingredients: Ingredient[];
  recipe_steps: string[];
  tags: string[];
  image_url: string | null;
  is_active: boolean;
  /** Still on the menu, marked; ordering it answers 409 `sold_out` (absent from older servers). */
  sold_out?: boolean;
  /** Absent from older servers: such a drink shows no diet and matches no diet filter. */
  facts?: DrinkFacts;
  created_at: string;
  updated_at: string;
}

/** One entry of the menu's ingredient vocabulary (`GET {menu}/ingredients`). */
export interface VocabularyEntry {
  name: string;
  contains: string[];
}

export type OrderStatus = "pending" | "preparing" | "ready" | "served" | "cancelled";
export const OPEN_STATUSES: OrderStatus[] = ["pending", "preparing", "ready"];

export interface Order {
  id: string;
  user_key: string;
  username: string;
  drink_id: string;
  drink_name: string;
  quantity: number;
  notes: string | null;
  status: OrderStatus;
  created_at: string;
  updated_at: string;
  ready_at: string | null;
  completed_at: string | null;
  /** Ended by the end-of-night close-out rather than by a bartender (absent from older servers). */
  closed_out?: boolean;
  /** The night's short number, 1-999; null for orders placed before numbers (ADR 0029). */
  number?: number | null;
  /** When it last went to `preparing`. */
  started_at?: string | null;
}

/** `POST {orders}/admin/orders/batch`: each order moved on its own; the others say why not. */
export interface BatchResult {
  orders: Order[];
  failed: { id: string; error: { code: string; message: string } }[];
}

export type Ordering = "open" | "last_call" | "paused";

/** The bar's settings, one for every screen (`GET {orders}/bar`, ADR 0029). */
export interface BarSettings {
  ordering: Ordering;
  /** 0-200 characters, shown to guests. */
  message: string;
  reopens_at: string | null;
  wait_warn_seconds: number;
  wait_late_seconds: number;
  updated_at: string | null;
}

/** `PATCH {orders}/admin/bar`: any subset. warn 60-3600; late more than warn, at most 7200. */
export type BarSettingsPatch = Partial<Omit<BarSettings, "updated_at">>;

/** One page of a list; `next_cursor` null: it is the last page (ADR 0021). */
export interface OrderPage {
  orders: Order[];
  next_cursor: string | null;
}

/** A whole list read page by page; `complete` false: it stopped at the page cap. */
export interface OrderListing {
  orders: Order[];
  complete: boolean;
}

export interface ClosedOut {
  closed: number;
  /** false: the server ran out of time; closing out again ends the rest. */
  complete: boolean;
}

export interface Guest {
  user_key: string;
  username: string;
  is_active: boolean;
  created_at: string;
}

export type CodeStatus = "active" | "used_up" | "expired" | "revoked";

export interface RegistrationCode {
  code: string;
  join_url: string;
  expires_at: string;
  max_uses: number;
  use_count: number;
  status: CodeStatus;
  notes: string | null;
  created_by: string;
  created_at: string;
}

export interface Stats {
  total: number;
  today: number;
  /** Drinks, not orders: quantities summed ("2 x Mojito" is two). Absent from older servers. */
  drinks_total?: number;
  drinks_today?: number;
  /** `count` orders, `drinks` their quantities summed. */
  by_drink: { drink_id: string; drink_name: string; count: number; drinks?: number }[];
  by_status: Partial<Record<OrderStatus, number>>;
  avg_seconds_to_ready: number | null;
  per_hour: { hour: string; count: number }[];
  recent: Order[];
}

export interface Recommendation {
  drink_id: string;
  name: string;
  reason: string;
}

/** Which engine answered: the keyword-matching offline provider or the Bedrock model. */
export type Engine = "offline" | "bedrock";

export interface Recommendations {
  /** 0-3; none only when a stated constraint excludes every drink (then `note` says why). */
  recommendations: Recommendation[];
  /** Absent from older servers. */
  engine?: Engine;
  note?: string | null;
}

export interface SuggestedDrink {
  drink_id: string;
  name: string;
}

export interface ChatReply {
  conversation_id: string;
  reply: string;
  suggested_drinks: SuggestedDrink[];
  /** Absent from older servers. */
  engine?: Engine;
}

/** `GET {ai}/chat/{conversation_id}`: the guest's own conversation, oldest turn first. */
export interface Conversation {
  conversation_id: string;
  messages: {
    role: "user" | "assistant";
    text: string;
    suggested_drinks: SuggestedDrink[];
    created_at: string;
  }[];
}

export interface ImagePrompt {
  drink_id: string;
  prompt: string;
  negative_prompt: string;
  model_id: string;
  generated_at: string;
}

export interface ImageUpload {
  upload: { url: string; fields: Record<string, string> };
  image_url: string;
  expires_in: number;
}

export interface TokenGrant {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface Registration extends TokenGrant {
  user: Guest;
  token_type: "Bearer";
}

/** A realtime `data` frame's event (API.md, Realtime). */
export interface RealtimeEvent<T = unknown> {
  type: string;
  version: number;
  event_id: string;
  occurred_at: string;
  data: T;
}

export interface OrderEventData {
  order: Order;
  previous_status?: OrderStatus;
}

export interface MenuEventData {
  drink_id: string;
  change: "created" | "updated" | "deleted";
}

/** PUT {orders}/push/subscription: PushSubscription.toJSON()'s endpoint and keys (ADR 0036). */
export interface PushSubscriptionBody {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}
