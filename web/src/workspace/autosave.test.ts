import type { Draft } from "../api/types";
import { writeBackup } from "../components/backup";
import { backupKey, restoreFromBackup } from "./autosave";

function draft(revision: number, overview: string[]): Draft {
  return {
    enrolment_id: "enr_1",
    revision,
    submitted_revision: 0,
    updated_at: "2026-11-23T09:00:00Z",
    overview,
    artifacts: [],
    reflection: [""],
    checks: { ready: false, overview: [], artifacts: [], reflection: [], problems: [] },
  } as unknown as Draft;
}

describe("restoreFromBackup", () => {
  beforeEach(() => localStorage.clear());

  it("puts back edits typed over the server's current revision", () => {
    writeBackup(backupKey("enr_1"), 3, { overview: ["Typed before the session ended."], artifacts: [], reflection: [""] });
    expect(restoreFromBackup(draft(3, ["Saved earlier."]))).toEqual({
      kind: "resume",
      revision: 3,
      content: { overview: ["Typed before the session ended."], artifacts: [], reflection: [""] },
    });
  });

  it("lets the educator choose when the server saved a newer revision since", () => {
    writeBackup(backupKey("enr_1"), 2, { overview: ["Mine, from this browser."], artifacts: [], reflection: [""] });
    const restored = restoreFromBackup(draft(5, ["Saved on another device."]));
    expect(restored.kind).toBe("choose");
    expect(restored.kind !== "none" && restored.revision).toBe(2);
  });

  it("drops a backup that matches the server, or is not a draft", () => {
    writeBackup(backupKey("enr_1"), 3, { overview: ["Same."], artifacts: [], reflection: [""] });
    expect(restoreFromBackup(draft(3, ["Same."]))).toEqual({ kind: "none" });
    expect(localStorage.getItem(backupKey("enr_1"))).toBeNull();
    writeBackup(backupKey("enr_1"), 3, { overview: "not a list" });
    expect(restoreFromBackup(draft(3, ["Same."]))).toEqual({ kind: "none" });
  });
});
