import type { ReactNode } from 'react'

/** Props of {@link Panel}. */
export interface PanelProps {
  readonly id: string
  readonly title: string
  /** One line: how this session travels and who can read it. */
  readonly kind: string
  readonly intro: ReactNode
  readonly inspector: ReactNode
  readonly children: ReactNode
}

/** One session's panel: the demo on the left, its inspector on the right. */
export function Panel(props: PanelProps) {
  return (
    <section
      className="panel"
      id={props.id}
      data-testid={`${props.id}-panel`}
      aria-labelledby={`${props.id}-title`}
    >
      <div className="demo">
        <header className="panel-header">
          <h2 id={`${props.id}-title`}>{props.title}</h2>
          <p className="kind">{props.kind}</p>
        </header>
        <p className="intro">{props.intro}</p>
        {props.children}
      </div>
      {props.inspector}
    </section>
  )
}
