import type { Rubric } from "../api/types";
import { ServerHtml } from "../components/Status";

// The rubric exactly as reviewers use it: criteria as rows, levels as columns, lowest first.
export function RubricTable({ rubric, caption }: { rubric: Rubric; caption: string }) {
  const levels = rubric.criteria[0]?.levels ?? [];
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="rubric">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            {levels.map((l) => (
              <th scope="col" key={l.id}>
                {l.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rubric.criteria.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                {c.name}
                {c.description_html && <ServerHtml html={c.description_html} className="criterion-description" />}
              </th>
              {c.levels.map((l) => (
                <td key={l.id}>
                  <ServerHtml html={l.descriptor_html} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EarnedRule({ rubric }: { rubric: Rubric }) {
  const levelName = (id: string) => rubric.criteria[0]?.levels.find((l) => l.id === id)?.name ?? id;
  const rule = rubric.earned_rule;
  const count = rule.minimum_criteria ?? rubric.criteria.length;
  const all = count === rubric.criteria.length;
  return (
    <p className="earned-rule">
      <strong>Earned</strong> when {all ? "every criterion" : `${count} of ${rubric.criteria.length} criteria`}{" "}
      {all || count === 1 ? "is" : "are"} rated <em>{levelName(rule.level)}</em> or higher
      {rule.floor_level ? (
        <>
          , and none is below <em>{levelName(rule.floor_level)}</em>
        </>
      ) : null}
      . Otherwise the result is <strong>Not yet</strong>, with feedback for each criterion and an invitation to
      resubmit.
    </p>
  );
}
