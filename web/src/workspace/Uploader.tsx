import { useRef, useState } from "react";
import { Upload } from "tus-js-client";
import { get, getCsrfToken } from "../api/client";
import type { EvidenceFile } from "../api/types";

// A resumable upload (tus): a dropped connection is retried from the last byte the server holds,
// and a reload finds the unfinished upload again by its fingerprint.
export function Uploader({
  enrolmentId,
  requirement,
  accept,
  label,
  onUploaded,
}: {
  enrolmentId: string;
  requirement: number;
  accept: string;
  label: string;
  onUploaded(file: EvidenceFile): void;
}) {
  const [progress, setProgress] = useState<{ name: string; sent: number; total: number } | null>(null);
  const [message, setMessage] = useState<string>("");
  const [failed, setFailed] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = `upload-${requirement}`;

  function start(file: File) {
    setFailed(false);
    setMessage("");
    setProgress({ name: file.name, sent: 0, total: file.size });
    let fileId = "";
    const upload = new Upload(file, {
      endpoint: "/api/v1/uploads",
      // Several PATCHes for a big video, so a dropped connection costs at most one chunk in flight.
      chunkSize: 5 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      removeFingerprintOnSuccess: true,
      headers: { "X-CSRF-Token": getCsrfToken() },
      metadata: {
        enrolment: enrolmentId,
        filename: file.name,
        filetype: file.type || "application/octet-stream",
        requirement: String(requirement),
      },
      onProgress(sent, total) {
        setProgress({ name: file.name, sent, total });
      },
      onShouldRetry(err) {
        const status = (err as { originalResponse?: { getStatus(): number } }).originalResponse?.getStatus() ?? 0;
        if (status === 0) setMessage("Connection lost: the upload will resume where it stopped.");
        return status === 0 || status >= 500 || status === 409 || status === 423;
      },
      onAfterResponse(_req, res) {
        const id = res.getHeader("Cairn-File-Id");
        if (id) fileId = id;
      },
      onError(err) {
        setFailed(true);
        const body = (err as { originalResponse?: { getBody(): string } }).originalResponse?.getBody();
        let detail = "";
        try {
          detail = body ? (JSON.parse(body).detail ?? "") : "";
        } catch {
          detail = "";
        }
        setMessage(detail || "The upload failed. Check your connection and try again.");
      },
      async onSuccess() {
        setProgress(null);
        setMessage("");
        if (!fileId) {
          setFailed(true);
          setMessage("The upload finished but Cairn did not name the file. Reload the page.");
          return;
        }
        onUploaded(await get<EvidenceFile>(`/api/v1/files/${fileId}`));
        if (input.current) input.current.value = "";
      },
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  const percent = progress && progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : 0;
  return (
    <div className="uploader">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        ref={input}
        type="file"
        accept={accept}
        disabled={progress !== null}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) start(file);
        }}
      />
      {progress && (
        <div className="progress">
          <progress max={100} value={percent} aria-label={`Uploading ${progress.name}`} />
          <span>{percent}%</span>
        </div>
      )}
      {message && (
        <p className={failed ? "field-error" : "hint"} role={failed ? "alert" : "status"}>
          {message}
        </p>
      )}
    </div>
  );
}
