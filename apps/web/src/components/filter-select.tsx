/** One filter of a GET filter form, as a select that applies the form at once (without JavaScript, the form's button does). */
export function FilterSelect({
  label,
  name,
  value,
  options,
}: {
  label: string;
  name: string;
  value: string;
  /** Each choice's value in the URL and its words. */
  options: readonly (readonly [value: string, words: string])[];
}) {
  return (
    <label className="field">
      {label}
      <select name={name} defaultValue={value} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
        {options.map(([v, words]) => (
          <option key={v} value={v}>
            {words}
          </option>
        ))}
      </select>
    </label>
  );
}
