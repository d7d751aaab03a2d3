import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError } from "../api/http";
import type { ChatReply, Conversation, Recommendations } from "../api/types";
import type { Services } from "../app/services";
import { setLocale } from "../i18n";
import { fakeServices, renderAt, signInGuest } from "../test/fakeServices";
import { BartenderPage } from "./BartenderPage";
import { recallConversation, rememberConversation } from "./bartenderMemory";

const notFound = () => new ApiError(404, "conversation_not_found", "Conversation not found");

function guest(): Services {
  const services = fakeServices();
  signInGuest(services);
  services.api.ai.recommend = vi.fn();
  services.api.ai.chat = vi.fn();
  services.api.ai.conversation = vi.fn();
  return services;
}

const SO_FAR: Conversation = {
  conversation_id: "c1",
  messages: [
    { role: "user", text: "Something sour without gin", suggested_drinks: [], created_at: "2026-12-02T20:00:00Z" },
    {
      role: "assistant",
      text: "Try the Whisky Sour.",
      suggested_drinks: [{ drink_id: "d2", name: "Whisky Sour" }],
      created_at: "2026-12-02T20:00:01Z",
    },
  ],
};

const reply = (over: Partial<ChatReply> = {}): ChatReply => ({
  conversation_id: "c1",
  reply: "The Paloma is bright and salty.",
  suggested_drinks: [{ drink_id: "d3", name: "Paloma" }],
  engine: "offline",
  ...over,
});

const chatLog = () => screen.getByRole("log");

async function say(text: string) {
  await userEvent.type(screen.getByLabelText("Message"), text);
  await userEvent.click(screen.getByRole("button", { name: "Send" }));
}

afterEach(() => vi.restoreAllMocks());

describe("the chat with the bartender", () => {
  it("is read back from the server after a tab switch or a reload, and carries on", async () => {
    const services = guest();
    rememberConversation("u1", "c1");
    vi.mocked(services.api.ai.conversation).mockResolvedValue(SO_FAR);
    vi.mocked(services.api.ai.chat).mockResolvedValue(reply());
    renderAt("/bartender", <BartenderPage />, services);

    expect(await within(chatLog()).findByText("Try the Whisky Sour.")).toBeInTheDocument();
    expect(services.api.ai.conversation).toHaveBeenCalledWith("c1");
    expect(within(chatLog()).getByText("Something sour without gin")).toBeInTheDocument();
    expect(within(chatLog()).getByRole("button", { name: "Order Whisky Sour" })).toBeInTheDocument();
    expect(within(chatLog()).queryByText(/Answered by/)).not.toBeInTheDocument(); // the server does not say

    await say("and less sweet?");
    expect(await within(chatLog()).findByText("The Paloma is bright and salty.")).toBeInTheDocument();
    expect(services.api.ai.chat).toHaveBeenCalledWith("and less sweet?", "c1", "en");
    expect(within(chatLog()).getAllByRole("button", { name: /^Order / })).toHaveLength(2);
  });

  it("starts afresh when the server no longer knows the conversation", async () => {
    const services = guest();
    rememberConversation("u1", "gone");
    vi.mocked(services.api.ai.conversation).mockRejectedValue(notFound());
    vi.mocked(services.api.ai.chat).mockResolvedValue(reply({ conversation_id: "c2" }));
    renderAt("/bartender", <BartenderPage />, services);

    expect(await screen.findByText(/Ask anything/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(recallConversation("u1")).toBeNull();

    await say("Something with tequila");
    await within(chatLog()).findByText("The Paloma is bright and salty.");
    expect(services.api.ai.chat).toHaveBeenCalledWith("Something with tequila", null, "en");
    expect(recallConversation("u1")).toBe("c2");
  });

  it("keeps the conversation when it could not be read back, and offers to try again", async () => {
    const services = guest();
    rememberConversation("u1", "c1");
    vi.mocked(services.api.ai.conversation)
      .mockRejectedValueOnce(new ApiError(0, "network_error", "Can't reach the bar right now."))
      .mockResolvedValue(SO_FAR);
    renderAt("/bartender", <BartenderPage />, services);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Can't reach the bar right now.");
    expect(recallConversation("u1")).toBe("c1");
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await within(chatLog()).findByText("Try the Whisky Sour.")).toBeInTheDocument();
  });

  it("says which engine answered each reply, and remembers the conversation for this guest", async () => {
    const services = guest();
    vi.mocked(services.api.ai.chat)
      .mockResolvedValueOnce(reply())
      .mockResolvedValueOnce(reply({ reply: "A Margarita, then.", engine: "bedrock" }))
      .mockResolvedValueOnce(reply({ reply: "From an older server.", engine: undefined }));
    renderAt("/bartender", <BartenderPage />, services);

    expect(services.api.ai.conversation).not.toHaveBeenCalled(); // nothing to read back
    await say("tequila?");
    const first = (await within(chatLog()).findByText("The Paloma is bright and salty.")).closest(".bubble")!;
    expect(first).toHaveTextContent("Answered by: Offline suggestions");
    expect(recallConversation("u1")).toBe("c1");

    await say("something else");
    const second = (await within(chatLog()).findByText("A Margarita, then.")).closest(".bubble")!;
    expect(second).toHaveTextContent("Answered by: AI model (Bedrock)");

    await say("and?");
    const third = (await within(chatLog()).findByText("From an older server.")).closest(".bubble")!;
    expect(third).not.toHaveTextContent("Answered by");
  });

  it("starts a new conversation when the kept one is refused mid-way", async () => {
    const services = guest();
    rememberConversation("u1", "c1");
    vi.mocked(services.api.ai.conversation).mockResolvedValue(SO_FAR);
    vi.mocked(services.api.ai.chat).mockRejectedValueOnce(notFound()).mockResolvedValue(reply({ conversation_id: "c9" }));
    renderAt("/bartender", <BartenderPage />, services);
    await within(chatLog()).findByText("Try the Whisky Sour.");

    await say("hello");
    await within(chatLog()).findByText("The Paloma is bright and salty.");
    expect(vi.mocked(services.api.ai.chat).mock.calls).toEqual([
      ["hello", "c1", "en"],
      ["hello", null, "en"],
    ]);
    expect(recallConversation("u1")).toBe("c9");
  });
});

describe("in Swedish", () => {
  afterEach(() => setLocale("en", { remember: false }));

  it("asks the bartender to answer in the app's language", async () => {
    setLocale("sv", { remember: false });
    const services = guest();
    vi.mocked(services.api.ai.chat).mockResolvedValue(reply({ reply: "Prova Palomen." }));
    renderAt("/bartender", <BartenderPage />, services);
    await userEvent.type(screen.getByLabelText("Meddelande"), "något med tequila");
    await userEvent.click(screen.getByRole("button", { name: "Skicka" }));
    await within(chatLog()).findByText("Prova Palomen.");
    expect(services.api.ai.chat).toHaveBeenCalledWith("något med tequila", null, "sv");
  });
});

describe("recommendations", () => {
  async function recommend(services: Services, answer: Recommendations) {
    vi.mocked(services.api.ai.recommend).mockResolvedValue(answer);
    renderAt("/bartender", <BartenderPage />, services);
    await userEvent.type(screen.getByLabelText("In your own words"), "vegan, no nuts");
    await userEvent.click(screen.getByRole("button", { name: "Recommend" }));
    await waitFor(() => expect(services.api.ai.recommend).toHaveBeenCalledWith("vegan, no nuts", false, "en"));
  }

  it("shows the drinks, the note and which engine chose them", async () => {
    const services = guest();
    await recommend(services, {
      recommendations: [{ drink_id: "d1", name: "Virgin Mojito", reason: "Vegan and nut-free" }],
      engine: "bedrock",
      note: "Only one drink fits all of that.",
    });

    const list = await screen.findByRole("list", { name: "Recommendations" });
    expect(within(list).getByRole("button", { name: "Order Virgin Mojito" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Only one drink fits all of that.");
    expect(screen.getByText("Answered by: AI model (Bedrock)")).toBeInTheDocument();
  });

  it("says honestly that nothing fits, and what would, rather than showing an error", async () => {
    const services = guest();
    const note = "Nothing on tonight's menu is vegan and nut-free; the Amaretto Fizz is vegan but has almonds.";
    await recommend(services, { recommendations: [], engine: "offline", note });

    expect(await screen.findByRole("status")).toHaveTextContent(note);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByRole("list", { name: "Recommendations" })).not.toBeInTheDocument();
    expect(screen.getByText("Answered by: Offline suggestions")).toBeInTheDocument();
  });

  it("copes with an older server's answer: no engine, no note", async () => {
    const services = guest();
    await recommend(services, { recommendations: [{ drink_id: "d1", name: "Negroni", reason: "Bitter" }] });

    await screen.findByRole("list", { name: "Recommendations" });
    expect(screen.queryByText(/Answered by/)).not.toBeInTheDocument();
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });
});
