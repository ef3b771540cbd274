/** Small pieces every page uses. */

import { ApiError, errorMessage, type FieldError } from '../api';

/** An error for the user, announced by screen readers when it appears; nothing when there is none. */
export function ErrorAlert({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

export function ColumnHeads({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th scope="col" key={name}>
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/**
 * A request the API refused: its problem's detail (or title), and each field error with its path
 * (422 `errors`), in a list named `listLabel`.
 */
export function ProblemAlert({ failure, listLabel }: { failure: unknown; listLabel: string }) {
  if (failure === undefined) return null;
  const problems = failure instanceof ApiError ? failure.fieldErrors : [];
  return (
    <div className="error" role="alert">
      {failure instanceof ApiError ? failure.message : errorMessage(failure)}
      {problems.length > 0 && <FieldErrorList errors={problems} label={listLabel} />}
    </div>
  );
}

/** Field errors (a 422's `errors`), each after its path, in a list named `label`. */
export function FieldErrorList({
  errors,
  label,
  className,
}: {
  errors: FieldError[];
  label: string;
  className?: string;
}) {
  return (
    <ul className={className} aria-label={label}>
      {errors.map((problem, index) => (
        <li key={index}>
          {problem.field && <code>{problem.field}</code>}
          {problem.field && ': '}
          {problem.message}
        </li>
      ))}
    </ul>
  );
}

/** Several of `options` chosen with checkboxes; the choice keeps the options' order. */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  chosen,
  onChange,
  className,
  labelOf = (option) => option,
}: {
  legend: string;
  options: readonly T[];
  chosen: readonly T[];
  onChange: (chosen: T[]) => void;
  className?: string;
  /** What an option is called, when not its value (a group's name for its id). */
  labelOf?: (option: T) => string;
}) {
  const toggle = (option: T, checked: boolean) =>
    onChange(options.filter((other) => (other === option ? checked : chosen.includes(other))));
  return (
    <fieldset className={className}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option}>
          <input
            type="checkbox"
            checked={chosen.includes(option)}
            onChange={(event) => toggle(option, event.target.checked)}
          />{' '}
          {labelOf(option)}
        </label>
      ))}
    </fieldset>
  );
}

/** "1 secret", "3 secrets": a count with its noun (plural by an s). */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
