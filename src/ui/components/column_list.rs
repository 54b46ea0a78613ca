use std::rc::Rc;

use yew::prelude::*;

use crate::app_state::Dataset;

#[derive(Properties, PartialEq)]
pub struct ColumnListProps {
    pub dataset: Rc<Dataset>,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
}

/// The file's columns (questions); choosing one shows its tabulation.
#[function_component]
pub fn ColumnList(props: &ColumnListProps) -> Html {
    let columns = &props.dataset.summary.columns;
    html! {
        <nav class="column-list" aria-label="項目の一覧">
            <h2>{"項目（列）"}</h2>
            <ol id="columns">
                { for columns.iter().enumerate().map(|(i, c)| {
                    let on_select = props.on_select.clone();
                    let onclick = Callback::from(move |_: MouseEvent| on_select.emit(i));
                    let selected = props.selected == Some(i);
                    let distinct = c.distinct;
                    html! {
                        <li>
                            <button type="button" class={classes!("column", selected.then_some("selected"))}
                                aria-pressed={selected.to_string()} data-index={i.to_string()} {onclick}>
                                <span class="col-no">{ i + 1 }</span>
                                <span class="col-name">{ &c.name }</span>
                                <span class="col-meta">{ format!("{distinct} 種類") }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </nav>
    }
}
