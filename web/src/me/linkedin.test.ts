import type { CredentialSummary } from "../api/types";
import { linkedInUrl } from "./CredentialsPage";

describe("linkedInUrl", () => {
  it("fills LinkedIn's add-to-profile form with the credential and its public page", () => {
    const c = {
      id: "cred_7Kq",
      title: "Exit Tickets & Formative Checks",
      issuer_name: "Teaching Practice Collaborative",
      issued_at: "2026-03-05T12:00:00Z",
    } as CredentialSummary;
    const url = new URL(linkedInUrl(c, "https://cairn.example.org/credentials/cred_7Kq"));
    expect(url.origin + url.pathname).toBe("https://www.linkedin.com/profile/add");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      startTask: "CERTIFICATION_NAME",
      name: "Exit Tickets & Formative Checks",
      organizationName: "Teaching Practice Collaborative",
      issueYear: "2026",
      issueMonth: "3",
      certUrl: "https://cairn.example.org/credentials/cred_7Kq",
      certId: "cred_7Kq",
    });
  });
});
