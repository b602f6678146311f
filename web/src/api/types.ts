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
