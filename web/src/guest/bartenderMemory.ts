// Which conversation with the bartender is the guest's, kept on the phone so the chat is read
// back from the server after a tab switch or a reload. Only the id: the turns themselves live
// server side (`GET {ai}/chat/{id}`), where they belong to this guest alone.

import { CHAT_CACHE_PREFIX, forgetCache, readCache, writeCache } from "../app/cache";

const cacheKey = (userKey: string) => `${CHAT_CACHE_PREFIX}${userKey}`;

export function rememberConversation(userKey: string, conversationId: string): void {
  writeCache(cacheKey(userKey), conversationId);
}

export function recallConversation(userKey: string): string | null {
  const id = readCache<unknown>(cacheKey(userKey));
  return typeof id === "string" && id ? id : null;
}

/** The server no longer knows it (or it is someone else's): the next message starts afresh. */
export function forgetConversation(userKey: string): void {
  forgetCache(cacheKey(userKey));
}
