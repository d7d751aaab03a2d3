// No string left untranslated (issue 18), found two ways:
//  1. The guest screens and the kitchen display are rendered in a pseudo-language in which
//     every catalogue message reads ⟦…⟧. Whatever text, aria-label, placeholder, title or alt
//     is left with a word in it once the ⟦…⟧ parts and the test's own data (drink names,
//     guests, notes) are taken out was written into the screen instead of the catalogue.
//  2. The screens' sources are parsed and every JSX text, visible attribute and sentence-like
//     string literal is listed: a branch the renders do not reach (an error, a rare state)
//     cannot hide an English string either.

import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { parseAst } from "vite";
import { ApiError } from "../api/http";
import type { Drink, Order } from "../api/types";
import { ServicesProvider, type Services } from "../app/services";
import { AdminLayout } from "../admin/AdminLayout";
import { BoardPage } from "../admin/BoardPage";
import { KitchenPage } from "../admin/KitchenPage";
import { BartenderPage } from "../guest/BartenderPage";
import { GuestLayout } from "../guest/GuestLayout";
import { JoinPage } from "../guest/JoinPage";
import { MenuPage } from "../guest/MenuPage";
import { OrdersPage } from "../guest/OrdersPage";
import { savePending } from "../guest/pendingOrder";
import { fakeServices, signInGuest } from "../test/fakeServices";
import { aBar, aDrink, anOrder } from "../test/fixtures";
import { en } from "./en";
import { LANGUAGE_NAMES, LOCALES, setLocale, type Messages } from "./index";
import type { Entry } from "./messages";

// --- the pseudo-language ---------------------------------------------------------------------

const wrap = (text: string) => `⟦${text}⟧`;
const PSEUDO = Object.fromEntries(
  Object.entries(en).map(([key, entry]: [string, Entry]) => [
    key,
    typeof entry === "string" ? wrap(entry) : { one: wrap(entry.one), other: wrap(entry.other) },
  ]),
) as Messages;

beforeEach(() => setLocale("sv", { remember: false, catalogue: PSEUDO }));

// --- what the screens show -------------------------------------------------------------------

/** The data these screens are given: it comes from the server and is shown as it is. */
const DATA = [
  "Negroni", "Mojito", "Whisky Sour", "Paloma", "Gin", "Campari", "Egg white", "cl", "Classics", "Bitter and boozy",
  "Ana", "Bo", "Rosa", "Less ice", "bitter", "citrus", "The Paloma is bright and salty", "Something sour",
  "Kitchen is catching up", "Grandma's cordial", "A proper sour", "Shake hard", "ABCD", "admin@barkeep.local",
  "Big herbal kick", ...Object.values(LANGUAGE_NAMES), ...LOCALES.map((code) => code.toUpperCase()), // the switcher
];
const DATA_WORDS = new Set(DATA.flatMap((text) => text.toLowerCase().match(/\p{L}+/gu) ?? []));

const VISIBLE_ATTRIBUTES = ["aria-label", "placeholder", "title", "alt", "aria-description", "aria-valuetext"];

/** The words on the page that are neither a catalogue message nor data. */
function strayWords(): string[] {
  const texts: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node.textContent ?? "");
  texts.push(nodes.join(" ")); // a message split by elements (a link in it) closes in a later node
  for (const element of document.body.querySelectorAll("*")) {
    for (const name of VISIBLE_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value) texts.push(value);
    }
  }
  return texts.flatMap((text) => {
    let rest = text;
    // Innermost first: a message may hold another one ("⟦Order ⟦2 × Negroni⟧⟧").
    for (let before = ""; before !== rest; ) {
      before = rest;
      rest = rest.replace(/⟦[^⟦⟧]*⟧/g, " ");
    }
    return (rest.match(/\p{L}{2,}/gu) ?? []).filter((word) => !DATA_WORDS.has(word.toLowerCase()));
  });
}

function renderAt(services: Services, path: string, routes: ReactNode) {
  return render(
    <ServicesProvider services={services}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>{routes}</Routes>
      </MemoryRouter>
    </ServicesProvider>,
  );
}

const SECTIONS = [{ id: "s1", name: "Classics", description: "Bitter and boozy", display_order: 1 }];

const DRINKS: Drink[] = [
  aDrink({
    id: "d1",
    tags: ["bitter", "citrus"],
    description: "A proper sour",
    ingredients: [
      { name: "Gin", amount: 2.5, unit: "cl" },
      { name: "Egg white", amount: null, unit: null },
    ],
    recipe_steps: ["Shake hard"],
    facts: { suitable_for: ["vegetarian", "gluten-free", "alcohol-free"], contains: ["egg", "nuts"], unknown_ingredients: [] },
  }),
  aDrink({
    id: "d2",
    section_id: "s1",
    name: "Mojito",
    sold_out: true,
    facts: { suitable_for: [], contains: [], unknown_ingredients: ["Grandma's cordial"] },
  }),
];

function guest(orders: Order[] = []): Services {
  const services = fakeServices();
  signInGuest(services);
  services.api.menu.sections = vi.fn().mockResolvedValue(SECTIONS);
  services.api.menu.drinks = vi.fn().mockResolvedValue(DRINKS);
  services.api.orders.mine = vi.fn().mockResolvedValue({ orders, complete: false });
  services.api.bar = vi.fn().mockResolvedValue(
    aBar({ ordering: "paused", message: "", reopens_at: "2026-11-22T21:30:00Z" }),
  );
  return services;
}

const guestRoutes = (
  <>
    <Route element={<GuestLayout />}>
      <Route index element={<MenuPage />} />
      <Route path="orders" element={<OrdersPage />} />
      <Route path="bartender" element={<BartenderPage />} />
    </Route>
    <Route path="/join" element={<JoinPage />} />
  </>
);

afterEach(() => vi.restoreAllMocks());

describe("in another language, nothing on screen is left in English", () => {
  it("the join screen, typed and linked, with its errors", async () => {
    renderAt(fakeServices(), "/join", guestRoutes);
    await userEvent.click(screen.getByRole("button"));
    await userEvent.type(screen.getByRole("textbox", { name: /Invite code/ }), "ab");
    await userEvent.click(screen.getByRole("button"));
    expect(screen.getByRole("alert")).toBeInTheDocument();
    expect(strayWords()).toEqual([]);
  });

  it("the join screen answering a used-up invite", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(JSON.stringify({ error: { code: "code_unusable", message: "Code is not usable" } }), { status: 409 }),
    );
    renderAt(fakeServices(), "/join?code=ABCD", guestRoutes);
    await userEvent.type(screen.getByRole("textbox"), "Rosa");
    await userEvent.click(screen.getByRole("button"));
    expect(await screen.findByRole("alert")).toBeInTheDocument();
    expect(strayWords()).toEqual([]);
  });

  it("the menu, a paused bar, a drink's detail and its order form", async () => {
    const services = guest([anOrder({ status: "ready", number: 41 })]);
    savePending("u1", { drink_id: "d1", drink_name: "Negroni", quantity: 2, notes: "", key: "k", saved_at: Date.now() });
    services.api.orders.place = vi.fn().mockRejectedValue(new ApiError(409, "sold_out", "Drink is sold out"));
    renderAt(services, "/", guestRoutes);
    await screen.findByRole("heading", { name: "Classics" });
    await waitFor(() => expect(document.querySelector(".bar-banner")).not.toBeNull());
    expect(strayWords()).toEqual([]);

    await userEvent.click(screen.getAllByRole("button", { pressed: false })[0]!); // a tag chip: filtered
    expect(strayWords()).toEqual([]);

    await userEvent.click(screen.getByRole("button", { name: "Negroni" }));
    expect(strayWords()).toEqual([]);
  });

  it("the order form, its note counter and a refusal", async () => {
    const services = guest();
    services.api.bar = vi.fn().mockResolvedValue(aBar());
    services.api.orders.place = vi.fn().mockRejectedValue(new ApiError(409, "too_many_active_orders", "Too many"));
    renderAt(services, "/", guestRoutes);
    await userEvent.click(await screen.findByRole("button", { name: "Negroni" }));
    const dialog = screen.getByRole("dialog");
    await userEvent.click(within(dialog).getAllByRole("button").at(-1)!); // Order
    await userEvent.type(screen.getByRole("textbox"), "Less ice");
    await userEvent.click(within(screen.getByRole("dialog")).getAllByRole("button").at(-1)!); // Place order
    expect(await screen.findByRole("alert")).toBeInTheDocument();
    expect(strayWords()).toEqual([]);
  });

  it("my orders in every state, and signing out with orders open", async () => {
    const orders = [
      anOrder({ id: "a", status: "pending", number: 41, quantity: 2, notes: "Less ice" }),
      anOrder({ id: "b", status: "preparing", number: 42 }),
      anOrder({ id: "c", status: "ready" }),
      anOrder({ id: "d", status: "served" }),
      anOrder({ id: "e", status: "cancelled" }),
    ];
    renderAt(guest(orders), "/orders", guestRoutes);
    await screen.findAllByRole("listitem");
    expect(strayWords()).toEqual([]);

    await userEvent.click(screen.getAllByRole("button", { name: /Sign out/ })[0]!);
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    expect(strayWords()).toEqual([]);
  });

  it("my orders, none yet, and cancelling one", async () => {
    renderAt(guest([]), "/orders", guestRoutes);
    await screen.findByRole("link", { name: /menu/ });
    expect(strayWords()).toEqual([]);
  });

  it("asking the bartender: moods, recommendations, the chat", async () => {
    const services = guest();
    services.api.ai.recommend = vi.fn().mockResolvedValue({
      recommendations: [{ drink_id: "d3", name: "Paloma", reason: "Big herbal kick" }],
      engine: "offline",
      note: null,
    });
    services.api.ai.chat = vi.fn().mockResolvedValue({
      conversation_id: "c1",
      reply: "The Paloma is bright and salty.",
      suggested_drinks: [{ drink_id: "d3", name: "Paloma" }],
      engine: "bedrock",
    });
    renderAt(services, "/bartender", guestRoutes);
    expect(strayWords()).toEqual([]);
    const moods = await screen.findByRole("group");
    await userEvent.click(within(moods).getAllByRole("button")[0]!);
    fireEvent.submit(document.querySelector("form")!);
    await screen.findByRole("list");
    await userEvent.type(screen.getAllByRole("textbox").at(-1)!, "Something sour");
    fireEvent.submit(document.querySelectorAll("form")[1]!);
    await screen.findAllByText(/Paloma is bright/);
    expect(strayWords()).toEqual([]);
  });

  it("the kitchen display: columns, tickets, all-day counts, the bar's settings, its dialogs", async () => {
    const services = fakeServices();
    services.admin.start({ access_token: "a", refresh_token: "r", expires_in: 900 }, { email: "admin@barkeep.local" });
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    services.api.ordersAdmin.queue = vi.fn().mockResolvedValue({
      orders: [
        anOrder({ id: "a", number: 41, quantity: 2, notes: "Less ice", created_at: minutesAgo(70) }),
        anOrder({ id: "b", number: 42, drink_name: "Mojito", username: "Bo", created_at: minutesAgo(2) }),
        anOrder({ id: "c", status: "preparing", created_at: minutesAgo(8), updated_at: minutesAgo(7) }),
        anOrder({ id: "d", status: "ready", number: 43, created_at: minutesAgo(9), ready_at: minutesAgo(1) }),
        anOrder({ id: "e", status: "served", number: 40, completed_at: minutesAgo(1), updated_at: minutesAgo(1) }),
      ],
      complete: false,
    });
    services.api.bar = vi.fn().mockResolvedValue(aBar({ ordering: "paused", reopens_at: "2026-11-22T21:30:00Z" }));
    services.api.ordersAdmin.move = vi.fn().mockRejectedValue(new ApiError(409, "invalid_transition", "Order already moved"));
    renderAt(
      services,
      "/admin/orders",
      <Route path="/admin" element={<AdminLayout />}>
        <Route path="orders" element={<KitchenPage />} />
      </Route>,
    );
    await screen.findAllByRole("article");
    await waitFor(() => expect(document.querySelector(".pill.ordering-paused")).not.toBeNull());
    expect(strayWords()).toEqual([]);

    await userEvent.click(screen.getAllByRole("article")[0]!);
    await act(async () => {
      fireEvent.keyDown(document.body, { key: "Enter" }); // refused: the notice says why
    });
    await screen.findAllByRole("alert");
    expect(strayWords()).toEqual([]);

    fireEvent.keyDown(document.body, { key: "b" });
    await userEvent.click(screen.getAllByRole("button", { name: /close out/i })[0]!);
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    expect(strayWords()).toEqual([]);
  });

  it("the pickup board", async () => {
    const services = fakeServices();
    services.api.ordersAdmin.queue = vi.fn().mockResolvedValue({
      orders: [anOrder({ id: "r", number: 41, status: "ready", quantity: 2 }), anOrder({ id: "p", username: "Bo" })],
      complete: true,
    });
    services.api.bar = vi.fn().mockResolvedValue(aBar({ ordering: "last_call", message: "Kitchen is catching up" }));
    renderAt(services, "/admin/board", <Route path="/admin/board" element={<BoardPage />} />);
    await screen.findAllByRole("listitem");
    expect(strayWords()).toEqual([]);
  });

  it("is a check that can fail: a string written into a screen is found", () => {
    render(
      <p title="Tap to open">
        {PSEUDO["menu.title"] as string} Negroni <span>Pick it now</span>
      </p>,
    );
    expect(strayWords()).toEqual(["Pick", "it", "now", "Tap", "to", "open"]);
  });
});

// --- what the sources say --------------------------------------------------------------------

/** Every source file, by its path from src/ ("guest/MenuPage.tsx"). */
const SOURCES: Record<string, string> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}", "!../test/**"], {
      query: "?raw",
      import: "default",
      eager: true,
    }),
  ).map(([path, text]) => [path.replace(/^\.\.\//, ""), text]),
);

/** The guest app and the kitchen display: every file whose text a guest or a bartender at the
 * kitchen display reads. The other admin screens are English only (ADR 0037). */
const IN_SCOPE = [
  ...Object.keys(SOURCES).filter((path) => /^(guest|ui|orders|app)\//.test(path)),
  "main.tsx",
  "admin/AdminLayout.tsx",
  "admin/SignInPage.tsx",
  "admin/KitchenPage.tsx",
  "admin/KitchenColumn.tsx",
  "admin/BarControls.tsx",
  "admin/BoardPage.tsx",
  "admin/kitchen.ts",
];

/** Attributes and props whose string is read by a person. */
const SHOWN = new Set(["aria-label", "placeholder", "title", "alt", "label", "message", "confirmLabel", "cancelLabel"]);

/** Looks written for a person: a capitalised word, or words with spaces ending a sentence. */
const SENTENCE = /^\s*\p{Lu}\p{Ll}+([\s,.!?:…]|$)|\p{L}{2,}[^\n]*\s[^\n]*\p{L}{2,}[.!?…]$/u;

/** Literals in scope that are not for a person: developers' messages, keys, codes. */
const NOT_FOR_PEOPLE = new Set([
  "useServices outside ServicesProvider",
  "useGuestOrders outside GuestLayout",
  "Enter",
  "Del", // a ticket action's key, not shown
  "Escape",
  "Tab",
  "Delete",
  "Backspace",
  "ArrowUp",
  "ArrowDown",
  "ArrowLeft",
  "ArrowRight",
  "Bearer",
  "Fruity",
  "Refreshing",
  "Sour",
  "Sweet",
  "Bitter",
  "Strong",
  "Herbal",
  "Spicy",
  "Creamy",
  "Light",
]);

interface Found {
  file: string;
  text: string;
}

type Node = { type: string; [key: string]: unknown };

function walk(node: unknown, visit: (node: Node, parent: Node | null) => void, parent: Node | null = null): void {
  if (Array.isArray(node)) return node.forEach((child) => walk(child, visit, parent));
  if (!node || typeof node !== "object" || typeof (node as Node).type !== "string") return;
  visit(node as Node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (key !== "type" && value && typeof value === "object") walk(value, visit, node as Node);
  }
}

function literalsFor(file: string): Found[] {
  const source = SOURCES[file];
  if (source === undefined) throw new Error(`no such source: ${file}`);
  return literalsIn(source, file);
}

function literalsIn(source: string, file: string): Found[] {
  const ast = parseAst(source, { lang: file.endsWith(".tsx") ? "tsx" : "ts" }, file);
  const found: Found[] = [];
  const add = (text: string) => found.push({ file, text: text.trim() });
  walk(ast, (node, parent) => {
    if (node.type === "JSXText" && /\p{L}{2,}/u.test(String(node.value))) add(String(node.value));
    if (node.type === "JSXAttribute") {
      const name = (node.name as { name?: string }).name ?? "";
      const value = node.value as Node | null;
      if (SHOWN.has(name) && value?.type === "Literal" && /\p{L}{2,}/u.test(String(value.value))) add(String(value.value));
    }
    const isImport = parent?.type === "ImportDeclaration" || parent?.type === "ExportNamedDeclaration";
    if (node.type === "Literal" && typeof node.value === "string" && !isImport && parent?.type !== "JSXAttribute") {
      if (SENTENCE.test(node.value) && !NOT_FOR_PEOPLE.has(node.value)) add(node.value);
    }
    if (node.type === "TemplateLiteral") {
      const text = (node.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked).join("{}");
      if (SENTENCE.test(text.replace(/\{\}/g, "x"))) add(text);
    }
  });
  return found;
}

describe("the screens' sources", () => {
  it("say every string through the catalogue", () => {
    expect(IN_SCOPE.length).toBeGreaterThan(25);
    const found = IN_SCOPE.flatMap(literalsFor).map(({ file, text }) => `${file}: ${text}`);
    expect(found).toEqual([]);
  });

  it("is a check that can fail: a screen with its own words is found", () => {
    const sample = [
      'import { x } from "Some Module";',
      'const a = <p title="Tap me" className="note error">Hello {name}</p>;',
      'const b = "Sent it."; const c = `Your ${drink} is here.`; const d = { label: "Start" };',
      'const e = "note error"; const f = t("menu.title"); const g = `order-${id}`;',
    ].join("\n");
    expect(literalsIn(sample, "sample.tsx").map((found) => found.text)).toEqual([
      "Tap me",
      "Hello",
      "Sent it.",
      "Your {} is here.",
      "Start",
    ]);
  });
});
