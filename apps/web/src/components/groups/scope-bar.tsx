import { type GroupScope, groupParam } from "@fleetwatch/core/groups";
import type { Outputs } from "~/lib/api-types";
import { SaveView } from "../views/save-view";
import { SavedViews } from "../views/saved-views";
import { GroupPicker } from "./group-picker";
import styles from "./groups.module.css";

type Group = Outputs["groups"]["list"][number];
type View = Outputs["views"]["list"][number];

/** Above the overview and the node list: the group picker, saving this view, and the person's views. */
export function ScopeBar({
  groups,
  scope,
  hrefFor,
  path,
  views,
}: {
  groups: Group[];
  scope: GroupScope | undefined;
  hrefFor: (scope: GroupScope | undefined) => string;
  path: string;
  views: View[];
}) {
  const hrefs = Object.fromEntries(groups.map((g) => [groupParam(g), hrefFor({ kind: g.kind, value: g.value })]));
  return (
    <div className={styles.bar}>
      <GroupPicker groups={groups} current={scope ? groupParam(scope) : ""} hrefs={hrefs} clearHref={hrefFor(undefined)} />
      <SaveView path={path} />
      <SavedViews views={views} current={path} />
    </div>
  );
}
