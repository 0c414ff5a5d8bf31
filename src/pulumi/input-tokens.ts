import * as pulumi from '@pulumi/pulumi';
import { DEFERRED_VALUE as TOKEN, deferredValue, holdsDeferredValue } from '../core/index.js';

/**
 * Lets a Pulumi Input stand where constructs take a string. `value()` hands out a placeholder
 * that passes through synthesis unchanged; `resolve()` turns every string that holds
 * placeholders back into an Output, leaving the rest of the object plain.
 */
export class InputTokens {
  private readonly inputs: pulumi.Input<string>[] = [];
  private readonly indexes = new Map<pulumi.Input<string>, number>();

  /**
   * A string for a construct prop that becomes `input` when the object is registered; the same
   * input always gives the same string, so that constructs can compare them (a route's host with
   * the gateway's).
   */
  public value(input: pulumi.Input<string>): string {
    if (typeof input === 'string') return input;
    let index = this.indexes.get(input);
    if (index === undefined) {
      index = this.inputs.push(input) - 1;
      this.indexes.set(input, index);
    }
    return deferredValue(index);
  }

  /** True when `text` holds a placeholder (or what a construct made of one, such as a DNS label of it). */
  public static derivedFrom(text: string): boolean {
    return holdsDeferredValue(text);
  }

  /**
   * A copy of `value` with each placeholder-bearing string replaced by an Output. With
   * `refuseSecret`, an Output that turns out to be a Pulumi secret fails with the error it returns
   * for the string's path (`data.pod_template_file.yaml`) instead of resolving.
   */
  public resolve<T>(value: T, refuseSecret?: (path: string) => Error): T {
    if (this.inputs.length === 0) return value;
    return this.walk(value, '', refuseSecret) as T;
  }

  private walk(value: unknown, path: string, refuseSecret: ((path: string) => Error) | undefined): unknown {
    if (typeof value === 'string') return this.resolveString(value, path, refuseSecret);
    if (Array.isArray(value)) return value.map((item, index) => this.walk(item, `${path}[${index}]`, refuseSecret));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.walk(item, path ? `${path}.${key}` : key, refuseSecret)]));
    }
    return value;
  }

  private resolveString(text: string, path: string, refuseSecret: ((path: string) => Error) | undefined): pulumi.Input<string> {
    const indexes = [...text.matchAll(TOKEN)].map((match) => Number(match[1]));
    if (indexes.length === 0) return text;
    const whole = indexes.length === 1 && text === deferredValue(indexes[0]!);
    const resolved = whole
      ? this.inputs[indexes[0]!]!
      : pulumi
          .all(indexes.map((index) => this.inputs[index]!))
          .apply((values) => text.replace(TOKEN, (_match, index: string) => values[indexes.indexOf(Number(index))]!));
    if (!refuseSecret) return resolved;
    const output = pulumi.output(resolved);
    // Whether an Output is secret is known only once it resolves: the check fails the registration.
    return pulumi.output(pulumi.isSecret(output)).apply((secret) => {
      if (secret) throw refuseSecret(path);
      return output;
    });
  }
}
