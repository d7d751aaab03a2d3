// API.md's discovery document: the one place the app learns where everything is.

export interface AppConfig {
  stage: string;
  api: { menu: string; identity: string; orders: string; ai: string };
  realtime: { http: string; ws: string; api_key: string };
  auth: {
    mode: "local" | "hosted";
    region: string;
    user_pool_id: string;
    client_id: string;
    cognito_endpoint: string | null;
    hosted_ui_domain: string | null;
  };
  /** Where drink photos live (added after the first release; older stacks may not say). */
  images?: string | null;
  /** `make party` over HTTPS only: the plain page where a phone installs the party's CA. */
  party?: { certificate_page: string };
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetchImpl("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  const config = (await response.json()) as AppConfig;
  for (const service of ["menu", "identity", "orders", "ai"] as const) {
    if (!config.api?.[service]) throw new Error(`config.json has no api.${service}`);
  }
  return config;
}
