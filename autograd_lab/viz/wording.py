"""The words of the motion widgets and players, in English and Simplified Chinese.

``say(lang, key, **values)`` is one message; ``lang`` is "en" or "zh" (see
``autograd_lab.language``). Code, node names and printed tensors stay as Python prints them
in both languages. Chinese terms follow the usual PyTorch Chinese documentation: 梯度 (gradient),
叶子节点 (leaf), 反向传播 (backward pass), 保存的张量 (saved tensors), 累加 (accumulate),
链式法则 (chain rule), 输入缓冲区 (input buffer).
"""
from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # panel: the start
        "start_title": "Start: {call}",
        "start_by_hand": "You call each node yourself, as the engine would: first {first} with "
                         "{seeds} (d{out}/d{out} = 1), then each node its "
                         "<code>next_functions</code> lead to, once all the gradients it waits "
                         "for have arrived (several are added up first).",
        "to_call": "{n} node(s) to call. Press <b>Next</b> (or call <code>.next()</code>) to "
                   "make the next call.",
        "start_many": "The engine starts at {first}, with {seeds} in their input buffers: the "
                      "gradients you passed, one per output.",
        "start_one": "The engine starts at {first}, with {seeds} in its input buffer: "
                     "d{out}/d{out} = 1 (for a tensor that is not a scalar, that is the "
                     "<code>gradient</code> you pass).",
        "start_walk": "It first walked the graph along <code>next_functions</code> and counted, "
                      "for each node, how many arrows point at it: a node runs only once that "
                      "many gradients have arrived and been summed in its buffer. Among the "
                      "ready nodes it runs the one created last (highest "
                      "<code>_sequence_nr()</code>); AccumulateGrad nodes run as soon as they "
                      "are ready.",
        "will_run": "{n} node(s) will run.",
        "grad_mode": "<code>autograd.grad</code> returns the gradients of the inputs you asked "
                     "for instead of adding them into <code>.grad</code>, and skips the nodes "
                     "that lead to none of them.",
        # panel: a step
        "step_title": "Step {k} of {n}: {who}",
        "h_in": "In", "h_out": "Out, along next_functions", "h_also": "Also",
        "h_waiting": "Still to run", "h_returned": "What it returned", "h_note": "Note",
        "you_call": "You call it", "engine_calls": "The engine calls it",
        "called_with": "{verb} with {values} = {grad}.",
        "summed": " {n} arrows point at this node, so its buffer summed what they brought "
                  "before it could run: {pieces}.",
        "pass_started": " This is where the pass started.",
        "no_grad_needed": "{label} = (None, {nr}): an input that needs no gradient, nothing "
                          "is sent",
        "not_sent": "(not sent)",
        "no_next": "This node has no next_functions.",
        "grad_untouched_result": "autograd.grad does not touch {grad}: the gradient {value} is "
                                 "returned as result [{index}].",
        "grad_untouched": "autograd.grad does not touch {grad}.",
        "no_gradient": "No gradient arrived: {grad} is unchanged.",
        "was_none": "{grad} was None; now it is {value}.",
        "was_added": "{grad} was {old}; the new gradient is added: now it is {value}.",
        "kept_result": "autograd.grad keeps {value} as its result [{index}] (the gradient of "
                       "{name}).",
        "retained": "{name} called retain_grad(): the engine stores {grad} = {value} as the "
                    "gradient passes.",
        "hook_ran": "A hook ran: {hook}.",
        "freed": "Its saved tensors ({saved}) are freed now (retain_graph=False): a second "
                 "backward through this node would fail.",
        "create_graph": "create_graph=True: the gradients it sent have a grad_fn of their own "
                        "({fns}), so they can be differentiated again.",
        "ready_next": "<b>Ready next:</b> {nodes}.",
        "still_waiting": "<b>Still waiting:</b> {nodes}.",
        "n_of_m": "{node}: {n} of {m} gradients",
        "done": "<b>Done.</b> Every node that leads to a leaf has run.",
        "a_leaf": "a leaf", "the_leaf": "the leaf", "a_tensor": "a tensor",
        "of_node": "{name} (next_functions[{pos}] of {parent})",
        "grad_wrt": "the gradient of {out} with respect to this node's output",
        "caption_start": "Start: {call}", "caption_gets": "{first} gets {seeds}",
        "caption_in": "in: {values}", "caption_out": "in: {values}  \u2192  out: {sent}",
        "nothing": "nothing",
        # stepper panel
        "nothing_called": "# nothing called yet: press Next",
        "one_result": "One result per entry of {fns}, in order: follow "
                      "<code>next_functions[i][0]</code> to the node that takes result i.",
        "recorded": "Called by hand in grad mode (as in PyTorch), the node recorded its own "
                    "derivative: the results carry grad_fn=&lt;{fns}&gt;. The engine does that "
                    "only with create_graph=True.",
        "recorded_copy": "In grad mode AccumulateGrad stores a recorded copy: {grad} has "
                         "grad_fn=&lt;{fn}&gt;.",
        "custom_by_hand": "A custom Function's node cannot be called by hand (in PyTorch "
                          "either: it is not callable): its <code>backward</code> is called "
                          "with the node as <code>ctx</code>, which is what the engine does.",
        "hooks_by_hand": "Hooks and retain_grad() run only inside the engine: called by hand, "
                         "this node ran none of them.",
        "rehearsed": "This stored player rehearses the calls: the values are those the calls "
                     "give, but no <code>.grad</code> was written.",
        # the picture: a node's state
        "running": "\u25b6 running: step {k}", "ran": "\u2713 ran at step {k}",
        "ready": "ready: #{n} in the queue",
        "running_hand": "\u25b6 called by hand: step {k}", "ran_hand": "\u2713 called at step {k}",
        "ready_hand": "ready to call: #{n}",
        "has_of": "has {n} of {m} gradients", "waits_for": "waits for {m} gradients",
        "all_ran": "\u2713 all {n} ran", "some_ran": "{n} of {m} ran",
        "saved_freed": "saved tensors freed",
        # controls and key
        "play": "Play", "pause": "Pause", "back": "Back", "next": "Next", "call_next": "Call next",
        "call_all": "Call all", "first": "Start", "last": "End", "step": "step", "speed": "speed",
        "explanation": "Explanation", "follow": "follow the running node",
        "count_start": "start of {n}", "count_step": "step {k} of {n}",
        "at_end": "Done: this is the last step.",
        "all_called": "Done: every node has been called.",
        "at_start": "This is the start.",
        "failed": "The call failed: {error}",
        "key_running": "running now / gradient just sent",
        "key_ready": "ready, or waiting for more gradients",
        "key_ran": "ran / gradient sent earlier",
        "key_output": "output", "key_leaf": "leaf tensor", "key_tensor": "named tensor",
        "key_op": "backward node (grad_fn)", "key_accumulate": "AccumulateGrad",
        "key_hover": "hover a box for all it holds",
    },
    "zh": {
        "start_title": "开始：{call}",
        "start_by_hand": "你像引擎一样亲手调用每个节点：先用 {seeds} 调用 {first}"
                         "（d{out}/d{out} = 1），然后沿 <code>next_functions</code> 找到下一个节点；"
                         "一个节点要等它需要的所有梯度都到齐后才能调用（多份梯度先相加）。",
        "to_call": "共需调用 {n} 个节点。点击 <b>下一步</b>（或调用 <code>.next()</code>）进行下一次调用。",
        "start_many": "引擎从 {first} 开始，它们的输入缓冲区里是 {seeds}：即你传入的梯度，每个输出一个。",
        "start_one": "引擎从 {first} 开始，它的输入缓冲区里是 {seeds}：d{out}/d{out} = 1"
                     "（若张量不是标量，这就是你传入的 <code>gradient</code>）。",
        "start_walk": "引擎先沿 <code>next_functions</code> 遍历计算图，数出每个节点有多少条箭头指向它："
                      "一个节点要等这么多份梯度都到达并在缓冲区中求和后才会运行。在就绪的节点中，"
                      "它先运行最后创建的那个（<code>_sequence_nr()</code> 最大）；"
                      "AccumulateGrad 节点一就绪就运行。",
        "will_run": "共有 {n} 个节点将会运行。",
        "grad_mode": "<code>autograd.grad</code> 直接返回你所要求的输入的梯度，而不是累加进 "
                     "<code>.grad</code>，并跳过与这些输入无关的节点。",
        "step_title": "第 {k} 步（共 {n} 步）：{who}",
        "h_in": "输入", "h_out": "输出（沿 next_functions）", "h_also": "另外",
        "h_waiting": "尚未运行", "h_returned": "返回值", "h_note": "注意",
        "you_call": "你调用它", "engine_calls": "引擎调用它",
        "called_with": "{verb}，传入 {values} = {grad}。",
        "summed": "有 {n} 条箭头指向这个节点，所以它的缓冲区先把它们带来的梯度相加，然后才能运行：{pieces}。",
        "pass_started": "反向传播从这里开始。",
        "no_grad_needed": "{label} = (None, {nr})：这个输入不需要梯度，什么也不发送",
        "not_sent": "（未发送）",
        "no_next": "这个节点没有 next_functions。",
        "grad_untouched_result": "autograd.grad 不会修改 {grad}：梯度 {value} 作为第 [{index}] 个结果返回。",
        "grad_untouched": "autograd.grad 不会修改 {grad}。",
        "no_gradient": "没有梯度到达：{grad} 不变。",
        "was_none": "{grad} 原来是 None；现在是 {value}。",
        "was_added": "{grad} 原来是 {old}；新的梯度被累加上去：现在是 {value}。",
        "kept_result": "autograd.grad 把 {value} 作为第 [{index}] 个结果保留（{name} 的梯度）。",
        "retained": "{name} 调用过 retain_grad()：梯度经过时，引擎保存 {grad} = {value}。",
        "hook_ran": "一个钩子（hook）运行了：{hook}。",
        "freed": "它保存的张量（{saved}）现在被释放了（retain_graph=False）：再次通过这个节点做反向传播会报错。",
        "create_graph": "create_graph=True：它发出的梯度自己也有 grad_fn（{fns}），所以还可以再求导。",
        "ready_next": "<b>下一个就绪：</b>{nodes}。",
        "still_waiting": "<b>仍在等待：</b>{nodes}。",
        "n_of_m": "{node}：已收到 {n} / {m} 份梯度",
        "done": "<b>完成。</b>所有通向叶子节点的节点都已运行。",
        "a_leaf": "一个叶子节点", "the_leaf": "该叶子节点", "a_tensor": "一个张量",
        "of_node": "{name}（{parent} 的 next_functions[{pos}]）",
        "grad_wrt": "{out} 对这个节点输出的梯度",
        "caption_start": "开始：{call}", "caption_gets": "{first} 收到 {seeds}",
        "caption_in": "输入：{values}", "caption_out": "输入：{values}  \u2192  输出：{sent}",
        "nothing": "无",
        "nothing_called": "# 还没有调用任何节点：点击“下一步”",
        "one_result": "{fns} 的每一项对应一个结果，顺序相同：沿 <code>next_functions[i][0]</code> "
                      "找到接收第 i 个结果的节点。",
        "recorded": "在梯度模式下手动调用（和 PyTorch 一样），节点记录了它自己的导数：结果带有 "
                    "grad_fn=&lt;{fns}&gt;。引擎只有在 create_graph=True 时才这样做。",
        "recorded_copy": "在梯度模式下 AccumulateGrad 存的是一个被记录的副本：{grad} 的 "
                         "grad_fn=&lt;{fn}&gt;。",
        "custom_by_hand": "自定义 Function 的节点不能手动调用（PyTorch 中也一样：它不可调用）："
                          "这里以节点作为 <code>ctx</code> 调用它的 <code>backward</code>，引擎也是这么做的。",
        "hooks_by_hand": "钩子和 retain_grad() 只在引擎内部运行：手动调用时，这个节点一个也没有运行。",
        "rehearsed": "这个保存下来的播放器是对调用的预演：数值与真实调用相同，但没有写入任何 "
                     "<code>.grad</code>。",
        "running": "\u25b6 正在运行：第 {k} 步", "ran": "\u2713 第 {k} 步已运行",
        "ready": "就绪：队列第 {n} 位",
        "running_hand": "\u25b6 手动调用：第 {k} 步", "ran_hand": "\u2713 第 {k} 步已调用",
        "ready_hand": "可以调用：第 {n} 位",
        "has_of": "已收到 {n} / {m} 份梯度", "waits_for": "等待 {m} 份梯度",
        "all_ran": "\u2713 {n} 个全部运行", "some_ran": "{n} / {m} 个已运行",
        "saved_freed": "保存的张量已释放",
        "play": "播放", "pause": "暂停", "back": "上一步", "next": "下一步", "call_next": "调用下一个",
        "call_all": "全部调用", "first": "开头", "last": "结尾", "step": "步骤", "speed": "速度",
        "explanation": "说明", "follow": "跟随正在运行的节点",
        "count_start": "开始（共 {n} 步）", "count_step": "第 {k} 步（共 {n} 步）",
        "at_end": "完成：这已经是最后一步。",
        "all_called": "完成：所有节点都已调用。",
        "at_start": "这是开头。",
        "failed": "调用失败：{error}",
        "key_running": "正在运行 / 刚发出的梯度",
        "key_ready": "就绪，或在等待更多梯度",
        "key_ran": "已运行 / 之前发出的梯度",
        "key_output": "输出", "key_leaf": "叶子节点（张量）", "key_tensor": "有名字的张量",
        "key_op": "反向节点（grad_fn）", "key_accumulate": "AccumulateGrad（累加梯度）",
        "key_hover": "鼠标悬停在方框上可查看全部信息",
    },
}


def say(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang``, with ``values`` filled in."""
    text = WORDS[lang][key]
    if "(s)" in text and "n" in values and lang == "en":
        text = text.replace("(s)", "" if values["n"] == 1 else "s")
    return text.format(**values) if values else text
