// The webview's own text in the user's display language. The English text is the key, so English needs no
// table and a missing translation falls back to it; `{0}`, `{1}`… are replaced by the arguments. The language
// is VS Code's (body data-lang, set by the extension), chosen once: 'zh-*' reads Simplified Chinese, anything
// else English. The worker knows no language: it sends codes (domain/notices.ts) that noticeWords.ts words. The
// backend report's timings and reasons stay English, as technical detail.
export type Lang = 'en' | 'zh-cn';

/** The webview language for a VS Code display language tag ('en', 'zh-cn', 'zh-tw', 'de'…). */
export function pickLang(tag: string | undefined): Lang {
  return /^zh(-|$)/i.test(tag ?? '') ? 'zh-cn' : 'en';
}

let chosen: Lang | undefined;

/** The language of this page, read from the body the first time it is asked (English outside a page). */
export function lang(): Lang {
  chosen ??= pickLang(typeof document === 'undefined' ? undefined : document.body?.dataset.lang);
  return chosen;
}

/** `text` in the page's language, with `{i}` replaced by `args[i]`. */
export function t(text: string, ...args: (string | number)[]): string {
  return translate(lang(), text, ...args);
}

/**
 * `text` where its English is ambiguous: the dictionary key is `context|text` (e.g. 'button|Step' is the
 * button that runs one step, 'Step' the step counter); English shows `text`.
 */
export function tc(context: string, text: string, ...args: (string | number)[]): string {
  const key = `${context}|${text}`;
  const table = dictionary(lang());
  return Object.prototype.hasOwnProperty.call(table, key) ? format(table[key], args) : t(text, ...args);
}

/** Like `t`, in a given language (for tests and for text chosen before the page exists). */
export function translate(to: Lang, text: string, ...args: (string | number)[]): string {
  const table = dictionary(to);
  return format(Object.prototype.hasOwnProperty.call(table, text) ? table[text] : text, args);
}

/** `text`, one of the settings panel's texts (declared in src/domain/settings.ts), in the page's language. */
export function settingText(text: string): string {
  return t(text);
}

let zhCn: Readonly<Record<string, string>> | undefined;

function dictionary(l: Lang): Readonly<Record<string, string>> {
  if (l !== 'zh-cn') return {};
  zhCn ??= { ...ZH_CN, ...SETTING_TEXTS_ZH_CN };
  return zhCn;
}

function format(template: string, args: readonly (string | number)[]): string {
  return args.length ? template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m)) : template;
}

/** Simplified Chinese, keyed by the English text. test/webview/i18n.test.ts checks that every key in use is here. */
export const ZH_CN: Readonly<Record<string, string>> = {
  Pause: '暂停',
  Resume: '继续',
  'Pause or resume training': '暂停或继续训练',
  Sample: '采样',
  'Draw new samples from the model': '从模型中重新采样',
  'Backend: choosing…': '后端：正在选择…',
  Step: '步数',
  'button|Step': '单步',
  'time per step|Step': '单步耗时',
  Epoch: '轮次',
  Loss: '损失',
  'Samples/s': '样本/秒',
  'Run one training step': '只训练一步',
  Reset: '重置',
  'Start again from fresh weights': '从新初始化的权重重新开始',
  Notes: '笔记',
  'Open the annotated notes of this model': '打开此模型的注解笔记',
  Backend: '后端',
  Note: '说明',
  '{0} ms': '{0} 毫秒',
  'in use': '使用中',
  'Measure again': '重新测量',
  'measured {0}': '测量于 {0}',
  '{0} samples drawn with {1} in {2} steps, against {0} held-out points': '用 {1} 以 {2} 步生成 {0} 个样本，与 {0} 个留出数据点比较',
  'Time a training step on every backend again': '在每个后端上重新计时一个训练步',
  slower: '较慢',
  failed: '失败',
  idle: '空闲',
  loading: '加载中',
  training: '训练中',
  paused: '已暂停',
  'paused (view hidden)': '已暂停（视图已隐藏）',
  error: '出错',
  Autoencoder: '自编码器',
  VAE: 'VAE',
  DDPM: 'DDPM',
  'Latent diffusion': '潜空间扩散',
  'Train an autoencoder, a VAE or a diffusion model right here, and watch every tensor while it learns. Open the notes and hover an equation to see the live tensor behind each symbol.':
    '在这里直接训练自编码器、VAE 或扩散模型，并在学习过程中观察每一个张量。打开笔记，将鼠标悬停在公式上，即可看到每个符号背后的实时张量。',
  'Train VAE': '训练 VAE',
  'Train Autoencoder': '训练自编码器',
  'Train DDPM': '训练 DDPM',
  'Train Latent Diffusion': '训练潜空间扩散模型',
  'Open the notes': '打开笔记',
  'Everything runs offline on bundled data (MNIST, Fashion-MNIST, 8x8 digits and 2D toy sets).':
    '一切都在本地离线运行，使用随附的数据（MNIST、Fashion-MNIST、8x8 手写数字和二维玩具数据集）。',
  Dismiss: '关闭',
  // Status and notices built in the training worker.
  'Choosing a backend and loading data…': '正在选择后端并加载数据…',
  'Could not start: {0}': '无法开始：{0}',
  'The saved checkpoint does not fit this model ({0}); training starts afresh.': '保存的检查点与此模型不匹配（{0}）；将从头开始训练。',
  ' The model is back at step {0}, its last good checkpoint.': '模型已回到第 {0} 步，即最近一个正常的检查点。',
  'The loss became {0} at step {1} (learning rate {2}). Training is paused.{3} Lower the learning rate, then resume or reset.':
    '第 {1} 步的损失变成了 {0}（学习率 {2}）。训练已暂停。{3}请降低学习率，然后继续或重置。',
  'the start': '开头',
  'The {0} backend failed at step {1} ({2}). Switching backend and resuming from {3}.': '{0} 后端在第 {1} 步失败（{2}）。正在切换后端，并从{3}继续训练。',
  'The {0} backend has no GPU device to lose.': '{0} 后端没有可以丢失的 GPU 设备。',
  'Phase 1 of 2: training the VAE whose latent space the diffusion model will learn ({0} of {1} steps). Train the VAE first to skip this.':
    '第 1 阶段（共 2 阶段）：训练 VAE，扩散模型将在它的潜空间中学习（已完成 {0} 步，共 {1} 步）。先训练 VAE 即可跳过此阶段。',
  'the WebGL context was lost': 'WebGL 上下文已丢失',
  'the WebGPU device was lost ({0})': 'WebGPU 设备已丢失（{0}）',
  Sampler: '采样器',
  'DDPM (ancestral)': 'DDPM（祖先采样）',
  'DDIM steps': 'DDIM 步数',
  'Changing this starts training again on a fresh model.': '更改后会用新模型重新开始训练。',
  'Applies to the running model at once.': '立即作用于正在训练的模型。',
  Model: '模型',
  'Sample quality': '样本质量',
  'Sample quality (sliced Wasserstein to the data, lower is better)': '样本质量（到数据的切片 Wasserstein 距离，越低越好）',
  'raw weights': '原始权重',
  'data vs data': '数据对数据',
  'EMA weights': 'EMA 权重',
  'The moving average of the weights samples steadily; the raw weights jump from step to step.':
    '权重的滑动平均（EMA）采样更稳定；原始权重的样本会随训练步跳动。',
  Pipeline: '计算流程',
  'Latent space': '潜空间',
  'Reconstructions and samples': '重构与采样',
  'Forward process q(xₜ | x₀)': '前向过程 q(xₜ | x₀)',
  'Reverse process (sampling)': '反向过程（采样）',
  'Noise schedule': '噪声调度',
  'Loss by timestep': '各时间步的损失',
  'Draw your own data': '绘制你自己的数据',
  'Drawing area: drag to add data points': '绘图区：拖动以添加数据点',
  '{0} points': '{0} 个点',
  'Train on my drawing': '用我的绘图训练',
  Clear: '清除',
  'Drag to paint points (at least {0}); the DDPM then learns to sample your shape.': '拖动鼠标画点（至少 {0} 个），DDPM 随后会学习采样出你画的形状。',
  '{0} pipeline': '{0} 计算流程',
  forward: '前向',
  gradient: '梯度',
  'random, no ∇': '随机，无 ∇',
  'step {0}': '第 {0} 步',
  'Click to show its equation in the notes.': '点击在笔记中显示它的公式。',
  scalar: '标量',
  'waiting…': '等待中…',
  mean: '均值',
  std: '标准差',
  min: '最小值',
  max: '最大值',
  'input batch': '输入批次',
  'encoder layer': '编码器层',
  'code: one point per x': '编码：每个 x 一个点',
  reconstruction: '重构',
  'mean of q(z|x)': 'q(z|x) 的均值',
  '~N(0, I), no ∇': '~N(0, I)，无 ∇',
  'latent of the data': '数据的潜变量',
  'data batch': '数据批次',
  'signal kept at t': 't 时保留的信号',
  encoder: '编码器',
  linear: '线性层',
  decoder: '解码器',
  network: '网络',
  target: '目标',
  'loss = BCE(x, x̂): a deterministic code, no prior on z': '损失 = BCE(x, x̂)：确定性编码，z 上没有先验',
  'reparameterisation: z = μ + σ ⊙ ε, so ∇ reaches μ and σ; ε is sampled and gets none':
    '重参数化：z = μ + σ ⊙ ε，∇ 因此能传到 μ 和 σ；ε 是采样得到的，没有梯度',
  'the network learns to predict the noise ε that made {0}; only ε_θ’s weights get ∇': '网络学习预测生成 {0} 的噪声 ε；只有 ε_θ 的权重得到 ∇',
  total: '总计',
  'log scale': '对数坐标',
  'Loss over training steps': '损失随训练步数的变化',
  step: '步数',
  'Waiting for the first training steps…': '等待最初的训练步…',
  'held-out': '留出集',
  'PyTorch reference (held-out)': 'PyTorch 参考（留出集）',
  '{0} after {1} epochs': '{1} 轮后 {0}',
  'encoded points': '编码点',
  'decoded grid': '解码网格',
  'Waiting for encoded points…': '等待编码点…',
  'Latent space, {0} against {1}': '潜空间，{0} 对 {1}',
  'Waiting for the first reconstructions…': '等待最初的重构结果…',
  'Inputs x': '输入 x',
  'Reconstructions x̂': '重构 x̂',
  'Samples: decoder(z), z ~ N(0, I)': '采样：decoder(z)，z ~ N(0, I)',
  'Interpolation: decoder((1−α) z_a + α z_b), {0} → {1}': '插值：decoder((1−α) z_a + α z_b)，{0} → {1}',
  'Timestep t': '时间步 t',
  ' of the signal’s variance is left': '：信号方差保留的比例',
  'Sampling frame': '采样帧',
  '❚❚ pause': '❚❚ 暂停',
  '▶ play': '▶ 播放',
  'no samples yet': '尚无采样',
  'SNR = ᾱₜ/(1−ᾱₜ), log': '信噪比 SNR = ᾱₜ/(1−ᾱₜ)，对数',
  'Waiting for training steps…': '等待训练步…',
  'No loss per timestep yet (view of step {0})': '尚无各时间步的损失（第 {0} 步的视图）',
  't {0}–{1}: loss {2}': 't {0}–{1}：损失 {2}',
  't {0}–{1}: no training step has landed here yet': 't {0}–{1}：还没有训练步落在这里',
  '{0} outside ▸': '{0} 个点超出范围 ▸',
  '{0} NaN': '{0} 个 NaN',
  // main.ts (the settings box and its own error lines)
  Settings: '设置',
  'The training worker stopped: {0}. Use Reset to start it again.': '训练 worker 已停止：{0}。点击“重置”重新启动。',
  'Could not load the bundled files: {0}': '无法加载随附的文件：{0}',
};

/**
 * The settings panel's labels, choices and hints (src/domain/settings.ts) in Simplified Chinese, keyed by their
 * English; those the view also shows elsewhere are in ZH_CN. test/unit/settingsSchema.test.ts checks that every
 * text of the schema has its entry, and that no entry is left over.
 */
export const SETTING_TEXTS_ZH_CN: Readonly<Record<string, string>> = {
  Dataset: '数据集',
  'MNIST digits': 'MNIST 手写数字',
  '8x8 digits': '8x8 手写数字',
  '8x8 digits (U-Net, fast)': '8x8 手写数字（U-Net，快）',
  'Latent size': '潜变量维度',
  'Above 2 the latent map shows a PCA projection.': '维度大于 2 时，潜空间图显示 PCA 投影。',
  'β (KL weight)': 'β（KL 权重）',
  'VAE learning rate': 'VAE 学习率',
  'Denoiser learning rate': '去噪网络学习率',
  'Learning rate': '学习率',
  'Batch size': '批大小',
  Data: '数据',
  'Swiss roll': '瑞士卷',
  'Two moons': '双月',
  '8 Gaussians': '8 个高斯',
  Rings: '圆环',
  Schedule: '噪声调度',
  'Linear β': '线性 β',
  Cosine: '余弦',
  'Steps T': '步数 T',
  'DDIM η': 'DDIM η（随机性）',
  'Auto (fastest measured)': '自动（实测最快）',
  'CPU (plain JS)': 'CPU（纯 JS）',
};
