// The API's shapes, as the OpenAPI document describes them (src/http/openapi/*.json).

export type GradeBand = "prek-2" | "3-5" | "6-8" | "9-12" | "k-5" | "6-12" | "k-12" | "adult";

export interface CatalogCard {
  id: string;
  version: number;
  issuer_id: string;
  issuer_name: string;
  title: string;
  summary: string;
  summary_html: string;
  subject: string;
  grade_band: GradeBand;
  estimated_hours: number;
  tags: string[];
  image_url?: string;
  published_at: string;
}

export interface SearchPage {
  items: CatalogCard[];
  total: number;
  page: number;
  page_size: number;
}

export interface RubricLevel {
  id: string;
  name: string;
  descriptor: string;
  descriptor_html: string;
}

export interface Criterion {
  id: string;
  name: string;
  description?: string;
  description_html?: string;
  levels: RubricLevel[];
}

export interface Rubric {
  criteria: Criterion[];
  earned_rule: { level: string; minimum_criteria?: number | null; floor_level?: string };
}

export interface MicroCredential {
  id: string;
  version: number;
  state: "draft" | "published" | "retired";
  issuer_id: string;
  issuer_name: string;
  title: string;
  summary_html: string;
  competency_html: string;
  key_method: {
    description_html: string;
    components: { name: string; description_html: string }[];
  };
  research_html: string;
  resources: { title: string; kind: string; url?: string; file?: string }[];
  submission: {
    overview: { prompt_html: string; word_limit: number }[];
    artifacts: {
      title: string;
      description_html: string;
      accepted_kinds: string[];
      min_count: number;
      max_count: number;
    }[];
    reflection: { prompt_html: string; word_limit: number }[];
  };
  rubric: Rubric;
  alignments: { framework: string; code: string; name: string; url?: string }[];
  subject: string;
  grade_band: GradeBand;
  estimated_hours: number;
  tags: string[];
  image_url?: string;
  published_at?: string | null;
  retired_at?: string | null;
}

export interface Membership {
  organization_id: string;
  organization_name?: string;
  role: "educator" | "reviewer" | "issuer_admin" | "district_admin" | "platform_admin";
}

export interface User {
  id: string;
  email: string;
  display_name: string;
  email_verified: boolean;
  created_at: string;
}

export interface Me {
  user: User;
  memberships: Membership[];
  csrf_token: string | null;
}

// Educator side (src/http/openapi/evidence.json).
export type SubmissionState = "submitted" | "in_review" | "returned" | "withdrawn" | "earned" | "not_yet";

export interface SubmissionSummary {
  id: string;
  attempt: number;
  state: SubmissionState;
  submitted_at: string;
}

export interface Enrolment {
  id: string;
  micro_credential_id: string;
  version: number;
  title: string;
  issuer_id: string;
  state: "active" | "earned" | "closed";
  attempts_used: number;
  attempt_cap: number;
  coach_grants: number;
  attempts_left: number;
  next_step: "start" | "continue draft" | "in review" | "resubmit" | "meet coach" | "earned";
  draft_revision: number;
  latest_submission: SubmissionSummary | null;
  due_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ArtifactEntry {
  requirement: number;
  file_id?: string;
  url?: string;
  caption?: string;
  shareable?: boolean;
  consent_attested?: boolean;
}

export interface SubmissionContent {
  overview: string[];
  artifacts: ArtifactEntry[];
  reflection: string[];
}

export interface TextCheck {
  pointer: string;
  words: number;
  limit: number;
  answered: boolean;
  over_limit: boolean;
}

export interface DraftChecks {
  ready: boolean;
  overview: TextCheck[];
  artifacts: { requirement: number; title: string; count: number; min: number; max: number }[];
  reflection: TextCheck[];
  problems: { pointer: string; detail: string }[];
}

export interface Draft extends SubmissionContent {
  enrolment_id: string;
  revision: number;
  submitted_revision: number;
  updated_at: string;
  checks: DraftChecks;
}

export interface TimelineEvent {
  state: string;
  at: string;
  note: string;
}

export interface Submission {
  id: string;
  code: string;
  enrolment_id: string;
  micro_credential_id: string;
  version: number;
  attempt: number;
  state: SubmissionState;
  return_reason: string | null;
  submitted_at: string;
  decided_at: string | null;
  content: SubmissionContent;
  timeline: TimelineEvent[];
}

export interface EvidenceFile {
  id: string;
  media_type: string;
  kind: "document" | "image" | "audio" | "video" | "link";
  size: number;
  sha256: string;
  warnings: string[];
  transcode_state: "none" | "pending" | "done" | "failed";
  created_at: string;
  content_url: string;
  playable_url?: string;
  filename?: string;
}

export interface SubmissionFeedback {
  submission_id: string;
  state: string;
  decision: "earned" | "not_yet" | null;
  tie_break: boolean;
  return_reason: string | null;
  return_note: string | null;
  criteria: {
    criterion_id: string;
    name: string;
    reviews: { reviewer: string; level_id: string; level_name: string; comment: string }[];
  }[];
  reviewers: { reviewer: string; recommendation: string | null; comment: string; tie_break: boolean }[];
}

// Reviewer side (src/http/openapi/review.json). Nothing here names the educator.
export interface ReviewSummary {
  id: string;
  code?: string;
  state: "assigned" | "in_progress" | "completed" | "returned" | "recused" | "released" | "cancelled" | "unassigned";
  tie_break: boolean;
  revision: number;
  micro_credential_id: string;
  version: number;
  micro_credential_title?: string;
  assigned_at: string;
  due_at: string;
  overdue: boolean;
  recommendation: "earned" | "not_yet" | null;
}

export interface ReviewRating {
  criterion_id: string;
  level_id: string;
  comment: string;
}

export interface ReviewDetail extends ReviewSummary {
  attempt: number;
  submission_state: string;
  submission: {
    overview: { prompt: string; answer: string }[];
    artifacts: {
      requirement: number;
      requirement_title?: string;
      kind: string;
      caption: string;
      file_id?: string;
      content_url?: string;
      url?: string;
    }[];
    reflection: { prompt: string; answer: string }[];
  };
  rubric: {
    criteria: { id: string; name: string; description: string; levels: { id: string; name: string; descriptor: string }[] }[];
    earned_rule: { level: string; minimum_criteria: number | null; floor_level: string | null };
  };
  ratings: ReviewRating[];
  comment: string;
  suggested_recommendation: "earned" | "not_yet" | null;
  earlier_reviews: { reviewer: string; ratings: ReviewRating[]; comment: string; recommendation: string }[];
}

export interface ReviewCalibration {
  decided_reviews: number;
  agreement_rate: number | null;
  kappa: number | null;
}

export interface ReviewStats {
  open_reviews: number;
  completed_reviews: number;
  calibration: ReviewCalibration;
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage {
  items: Notification[];
  unread_count: number;
  next_before: string | null;
}

export interface CredentialSummary {
  id: string;
  url: string;
  micro_credential_id: string;
  version: number;
  title: string;
  issuer_id: string;
  issuer_name: string;
  issued_at: string;
  valid_until: string | null;
  revoked_at: string | null;
  status: "active" | "revoked" | "expired";
  visibility: "public" | "private";
  recipient_email?: string;
  revocation_reason?: string;
}

export interface PortfolioSettings {
  enabled: boolean;
  handle: string | null;
  url: string | null;
  credential_ids: string[];
}

// What an issuer writes (catalog.json MicroCredentialContent): Markdown source, not rendered HTML.
export interface Content {
  title: string;
  summary: string;
  competency: string;
  key_method: { description: string; components: { name: string; description: string }[] };
  research: string;
  resources: { title: string; kind: string; url?: string }[];
  submission: {
    overview: { prompt: string; word_limit: number }[];
    artifacts: { title: string; description: string; accepted_kinds: string[]; min_count: number; max_count: number }[];
    reflection: { prompt: string; word_limit: number }[];
  };
  rubric: {
    criteria: { id: string; name: string; description: string; levels: { id: string; name: string; descriptor: string }[] }[];
    earned_rule: { level: string; minimum_criteria?: number | null; floor_level?: string };
  };
  alignments: { framework: string; code: string; name: string; url?: string }[];
  subject: string;
  grade_band: GradeBand;
  estimated_hours: number;
  max_attempts?: number;
  tags: string[];
  image_url?: string | null;
}

export interface Organization {
  id: string;
  name: string;
  kind: "nonprofit" | "state_agency" | "district" | "school";
  parent_id: string | null;
  issuer: boolean;
  created_at: string;
}

// Review rules: an issuer's policy, a district's own preferences, and what applies where.
export interface EffectiveReviewRule {
  sla_days: number;
  never_same_district: boolean;
  deadline_from: "issuer" | "district";
}

export interface ReviewPolicy {
  issuer_id: string;
  sla_days: number;
  never_same_district: boolean;
  review_pay_cents: number;
  allow_district_preferences: boolean;
  districts: {
    district_id: string;
    name: string;
    sla_days: number | null;
    never_same_district: boolean;
    applies: boolean;
    effective: EffectiveReviewRule;
  }[];
}

export interface DistrictReviewPreferences {
  district_id: string;
  sla_days: number | null;
  never_same_district: boolean;
  updated_at: string | null;
  honoured_by: {
    issuer_id: string;
    name: string;
    sla_days: number;
    never_same_district: boolean;
    effective: EffectiveReviewRule;
  }[];
}

export interface EnrolmentPolicy {
  organization_id?: string;
  days: number | null;
}
