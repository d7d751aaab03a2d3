// Every endpoint of API.md the web app calls, typed; routes and components call these.

import type { AppConfig } from "../config";
import { request, type TokenSource } from "./http";
import { readAllPages } from "./pages";
import type {
  BarSettings,
  BarSettingsPatch,
  BatchResult,
  ChatReply,
  ClosedOut,
  Conversation,
  Drink,
  Guest,
  ImagePrompt,
  ImageUpload,
  Order,
  OrderListing,
  OrderPage,
  OrderStatus,
  PushSubscriptionBody,
  Recommendations,
  RegistrationCode,
  Section,
  Stats,
  VocabularyEntry,
} from "./types";

export type DrinkInput = Omit<Drink, "id" | "image_url" | "facts" | "created_at" | "updated_at">;
export type SectionInput = Omit<Section, "id">;

export interface CodeInput {
  max_uses: number;
  valid_hours: number;
  notes?: string;
}

export function barkeepApi(config: AppConfig, guest: TokenSource, admin: TokenSource) {
  const { menu, identity, orders, ai } = config.api;
  const page = (url: string, auth: TokenSource) => (cursor: string | null) =>
    request<OrderPage>(url, { auth, query: { cursor: cursor ?? undefined } });
  return {
    /** The bar's settings; no sign-in. Re-read every 15-30 s and after a reconnect. */
    bar: () =>
      request<{ bar: BarSettings }>(`${orders}/bar`, { cache: "no-cache" }).then((r) => r.bar),
    updateBar: (patch: BarSettingsPatch) =>
      request<{ bar: BarSettings }>(`${orders}/admin/bar`, { method: "PATCH", body: patch, auth: admin }).then(
        (r) => r.bar,
      ),
    /** Move up to 50 orders to one status, each on its own; those that could not are in `failed`. */
    batchOrders: (ids: string[], status: OrderStatus) =>
      request<BatchResult>(`${orders}/admin/orders/batch`, {
        method: "POST",
        body: { order_ids: ids, status },
        auth: admin,
      }),
    // The public menu is cacheable (max-age + ETag) for CDNs; the app re-reads it when
    // MENU_CHANGED says it changed, so it always revalidates (a cheap 304 when nothing did).
    menu: {
      sections: () =>
        request<{ sections: Section[] }>(`${menu}/sections`, { cache: "no-cache" }).then((r) => r.sections),
      drinks: () => request<{ drinks: Drink[] }>(`${menu}/drinks`, { cache: "no-cache" }).then((r) => r.drinks),
      drink: (id: string) =>
        request<{ drink: Drink }>(`${menu}/drinks/${id}`, { cache: "no-cache" }).then((r) => r.drink),
      /** The ingredient vocabulary the drinks' facts are derived from; no sign-in. */
      ingredients: () =>
        request<{ ingredients: VocabularyEntry[] }>(`${menu}/ingredients`, { cache: "no-cache" }).then(
          (r) => r.ingredients,
        ),
    },
    menuAdmin: {
      drinks: () => request<{ drinks: Drink[] }>(`${menu}/admin/drinks`, { auth: admin }).then((r) => r.drinks),
      createDrink: (body: DrinkInput) =>
        request<{ drink: Drink }>(`${menu}/admin/drinks`, { method: "POST", body, auth: admin }).then((r) => r.drink),
      updateDrink: (id: string, body: Partial<DrinkInput> & { image_url?: string | null }) =>
        request<{ drink: Drink }>(`${menu}/admin/drinks/${id}`, { method: "PATCH", body, auth: admin }).then(
          (r) => r.drink,
        ),
      deleteDrink: (id: string) => request<void>(`${menu}/admin/drinks/${id}`, { method: "DELETE", auth: admin }),
      imageUpload: (id: string, contentType: string) =>
        request<ImageUpload>(`${menu}/admin/drinks/${id}/image-upload`, {
          method: "POST",
          body: { content_type: contentType },
          auth: admin,
        }),
      createSection: (body: SectionInput) =>
        request<{ section: Section }>(`${menu}/admin/sections`, { method: "POST", body, auth: admin }).then(
          (r) => r.section,
        ),
      updateSection: (id: string, body: Partial<SectionInput>) =>
        request<{ section: Section }>(`${menu}/admin/sections/${id}`, { method: "PATCH", body, auth: admin }).then(
          (r) => r.section,
        ),
      deleteSection: (id: string) => request<void>(`${menu}/admin/sections/${id}`, { method: "DELETE", auth: admin }),
    },
    orders: {
      place: (drinkId: string, quantity: number, notes: string, idempotencyKey: string) =>
        request<{ order: Order }>(`${orders}/orders`, {
          method: "POST",
          body: { drink_id: drinkId, quantity, ...(notes ? { notes } : {}) },
          headers: { "Idempotency-Key": idempotencyKey },
          auth: guest,
        }).then((r) => r.order),
      /** Every order of the guest's, newest first, page by page. */
      mine: (): Promise<OrderListing> => readAllPages(page(`${orders}/orders`, guest)),
      cancel: (id: string) =>
        request<{ order: Order }>(`${orders}/orders/${id}/cancel`, { method: "POST", auth: guest }).then((r) => r.order),
      /** The stage's VAPID public key (base64url), for pushManager.subscribe (ADR 0036). */
      pushKey: () => request<{ public_key: string }>(`${orders}/push/key`, { auth: guest }).then((r) => r.public_key),
      subscribePush: (subscription: PushSubscriptionBody) =>
        request<void>(`${orders}/push/subscription`, { method: "PUT", body: subscription, auth: guest }),
      unsubscribePush: (endpoint: string) =>
        request<void>(`${orders}/push/subscription`, { method: "DELETE", body: { endpoint }, auth: guest }),
    },
    ordersAdmin: {
      /** The live queue, oldest first, page by page. */
      queue: (): Promise<OrderListing> => readAllPages(page(`${orders}/admin/orders`, admin)),
      closeOut: () => request<ClosedOut>(`${orders}/admin/orders/close-out`, { method: "POST", auth: admin }),
      move: (id: string, status: OrderStatus) =>
        request<{ order: Order }>(`${orders}/admin/orders/${id}`, { method: "PATCH", body: { status }, auth: admin }).then(
          (r) => r.order,
        ),
      stats: () => request<Stats>(`${orders}/admin/stats`, { auth: admin }),
    },
    identityAdmin: {
      codes: () =>
        request<{ registration_codes: RegistrationCode[] }>(`${identity}/admin/registration-codes`, { auth: admin }).then(
          (r) => r.registration_codes,
        ),
      createCode: (body: CodeInput) =>
        request<{ registration_code: RegistrationCode }>(`${identity}/admin/registration-codes`, {
          method: "POST",
          body,
          auth: admin,
        }).then((r) => r.registration_code),
      revokeCode: (code: string) =>
        request<void>(`${identity}/admin/registration-codes/${encodeURIComponent(code)}`, { method: "DELETE", auth: admin }),
      qrSvg: (code: string) =>
        request<string>(`${identity}/admin/registration-codes/${encodeURIComponent(code)}/qr.svg`, {
          auth: admin,
          as: "text",
        }),
      guests: () => request<{ guests: Guest[] }>(`${identity}/admin/guests`, { auth: admin }).then((r) => r.guests),
      deactivate: (userKey: string) =>
        request<{ user: Guest }>(`${identity}/admin/guests/${userKey}/deactivate`, { method: "POST", auth: admin }).then(
          (r) => r.user,
        ),
    },
    ai: {
      /** The whole answer: the drinks, which engine chose them, and a note when nothing fits.
       * `language` is the app's ("sv"): the model writes its reasons in it. */
      recommend: (preferences: string, excludeAlcohol: boolean, language = "en") =>
        request<Recommendations>(`${ai}/recommendations`, {
          method: "POST",
          body: { preferences, exclude_alcohol: excludeAlcohol },
          headers: { "Accept-Language": language },
          auth: guest,
        }),
      chat: (message: string, conversationId: string | null, language = "en") =>
        request<ChatReply>(`${ai}/chat`, {
          method: "POST",
          body: { message, ...(conversationId ? { conversation_id: conversationId } : {}) },
          headers: { "Accept-Language": language },
          auth: guest,
        }),
      /** The guest's own conversation so far; 404 `conversation_not_found` for any other. */
      conversation: (id: string) => request<Conversation>(`${ai}/chat/${encodeURIComponent(id)}`, { auth: guest }),
    },
    aiAdmin: {
      imagePrompt: (drinkId: string) =>
        request<ImagePrompt>(`${ai}/admin/drinks/${drinkId}/image-prompt`, { auth: admin }),
      regeneratePrompt: (drinkId: string) =>
        request<unknown>(`${ai}/admin/drinks/${drinkId}/image-prompt`, { method: "POST", auth: admin }),
      generateImage: (drinkId: string) =>
        request<unknown>(`${ai}/admin/drinks/${drinkId}/image`, { method: "POST", auth: admin }),
    },
  };
}

export type BarkeepApi = ReturnType<typeof barkeepApi>;

/** Upload a file straight to S3 with the presigned POST, reporting progress (0..1). */
export function uploadToS3(
  upload: ImageUpload["upload"],
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append("file", file); // S3 wants the file last
    const xhr = new XMLHttpRequest();
    xhr.open("POST", upload.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new Error(`The image store refused the upload (${xhr.status}).`));
    xhr.onerror = () => reject(new Error("The upload failed: check your connection."));
    xhr.send(form);
  });
}
