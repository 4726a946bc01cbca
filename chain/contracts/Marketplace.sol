// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice gnark's exported Groth16 verifier (Groth16Verifier.sol, contract Verifier).
/// verifyProof reverts when the proof is invalid and returns nothing otherwise.
interface IGroth16Verifier {
    function verifyProof(bytes calldata proof, uint256[2] calldata input) external view;
}

/// @title dstore marketplace
/// @notice Provider registry, storage requests with escrowed payment, slots filled
/// against collateral, periodic challenges drawn from chain randomness and checked
/// with an on-chain Groth16 verifier, slashing of missed proofs with a reward for
/// the reporter, payment per proven period, collateral returned at the end.
/// Every state change emits an event.
contract Marketplace {
    /// BN254 scalar field modulus: challenges are reduced into it.
    uint256 public constant FIELD_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 public constant MAX_SLOTS = 64;
    uint256 public constant MAX_CID_BYTES = 128;
    uint256 public constant MAX_PEER_BYTES = 1024;
    /// Periods are counted in blocks. The entropy of a period is the RANDAO value
    /// (prevrandao) of its first block, read from that block's header, which is
    /// checked against its hash: the EVM keeps block hashes for 256 blocks, so the
    /// entropy is recorded on first use and stays available after that.
    uint256 public constant MAX_PROOF_PERIOD = 128;
    /// The reporter's share of a slash is capped so that reporting one's own miss
    /// from a second account pays back at most a quarter of it.
    uint256 public constant MAX_REWARD_PERCENTAGE = 25;
    /// The share of a slot's collateral, taken from what its evicted provider forfeited,
    /// that goes to the provider that refills the freed slot (as in Codex).
    uint256 public constant REPAIR_REWARD_PERCENTAGE = 10;

    uint8 internal constant STATE_NONE = 0;
    uint8 internal constant STATE_PROVEN = 1;
    uint8 internal constant STATE_MISSED = 2;

    struct Provider {
        string peerId;
        string[] addrs;
        uint256 price; // asked price per slot per period, in wei
        bool registered;
    }

    struct RequestParams {
        bytes rootCid;
        bytes manifestCid;
        uint64 size;
        uint32 k;
        uint32 m;
        uint256[] slotRoots; // one Poseidon2 root per slot (k+m), BN254 field elements
        address[] hosts; // optional: who may fill each slot (empty or zero address = anyone); cleared when the slot is freed
        uint64 duration; // in periods
        uint64 proofPeriod; // in blocks
        uint64 proofProbability; // a slot is challenged once every proofProbability periods on average (1 = every period)
        uint256 pricePerPeriod; // per slot and per period, in wei
        uint256 collateral; // per slot, in wei
    }

    struct Request {
        address client;
        bytes rootCid;
        bytes manifestCid;
        uint64 size;
        uint32 k;
        uint32 m;
        uint64 proofPeriod;
        uint64 proofProbability;
        uint64 startPeriod; // first period that can be challenged
        uint64 endPeriod; // first period that is not challenged
        uint256 pricePerPeriod;
        uint256 collateral;
        uint256 escrow; // payment still held for the providers
        uint256 compensation; // slashed collateral owed to the client
        bool finished;
        uint256[] slotRoots;
        address[] hosts;
    }

    struct Slot {
        address provider;
        uint64 filledPeriod; // the slot is challenged from filledPeriod+1
        uint32 proven;
        uint32 missed;
        uint256 collateral; // what is left of the provider's collateral
        uint256 paid; // paid to every provider of this slot so far
    }

    IGroth16Verifier public immutable verifier;
    uint256 public immutable slashPercentage; // of the request's collateral, per missed proof
    uint256 public immutable rewardPercentage; // of the slashed amount, to the reporter
    uint256 public immutable maxMissedProofs; // the slot is freed when a provider reaches it
    uint256 public immutable finishGrace; // blocks after the report window of the last period before finishRequest

    mapping(address => Provider) internal providers;
    mapping(address => uint256) public balances; // withdrawable, also used as collateral
    mapping(address => uint256) public nonces;
    mapping(bytes32 => Request) internal requests;
    mapping(bytes32 => mapping(uint256 => Slot)) internal slots;
    mapping(bytes32 => mapping(address => bool)) public holdsSlot;
    mapping(bytes32 => mapping(uint256 => mapping(uint256 => uint8))) public periodState;
    /// Recorded entropy by proof period length and period (zero: not recorded yet).
    mapping(uint256 => mapping(uint256 => bytes32)) public recordedEntropy;
    /// Repairs: whether a freed slot waits for a new provider, the reward held for it, and
    /// how many of a request's slots are freed and not refilled.
    mapping(bytes32 => mapping(uint256 => bool)) public repairOpen;
    mapping(bytes32 => mapping(uint256 => uint256)) public repairReward;
    mapping(bytes32 => uint32) public lostSlots;

    event ProviderRegistered(address indexed provider, string peerId, string[] addrs, uint256 price);
    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event RequestCreated(
        bytes32 indexed requestId,
        address indexed client,
        bytes rootCid,
        bytes manifestCid,
        uint32 k,
        uint32 m,
        uint64 startPeriod,
        uint64 endPeriod,
        uint256 escrow
    );
    event SlotFilled(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 collateral);
    event ProofSubmitted(
        bytes32 indexed requestId,
        uint256 indexed slotIndex,
        address indexed provider,
        uint256 period,
        uint256 challenge,
        uint256 payment,
        bytes proof
    );
    event ProofMissed(
        bytes32 indexed requestId,
        uint256 indexed slotIndex,
        address indexed provider,
        uint256 period,
        address reporter,
        uint256 slashed,
        uint256 reward
    );
    event SlotFreed(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 forfeited);
    event CollateralReturned(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 amount);
    event RequestFinished(bytes32 indexed requestId, address indexed client, uint256 refund);
    event EntropyRecorded(uint64 indexed proofPeriod, uint64 indexed period, bytes32 entropy);
    /// A freed slot is open for repair: whoever refills it (with the shard that hashes to its
    /// root) gets reward. lost counts the request's freed slots not refilled yet.
    event SlotRepairOpened(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed formerProvider, uint256 reward, uint32 lost);
    /// A slot open for repair was refilled; reward went to the new provider's balance.
    event SlotRepaired(bytes32 indexed requestId, uint256 indexed slotIndex, address indexed provider, uint256 reward);
    /// More than m slots were lost at once: the request is over, the remaining providers'
    /// collateral is returned and the rest refunded to the client (RequestFinished follows).
    event RequestFailed(bytes32 indexed requestId, address indexed client, uint32 lost);

    error InvalidParams(string reason);
    error NotRegistered();
    error UnknownRequest();
    error RequestIsFinished();
    error RequestNotEnded();
    error TooLate();
    error BadSlot();
    error SlotTaken();
    error SlotNotFilled();
    error NotHost();
    error AlreadyHoldsSlot();
    error InsufficientCollateral(uint256 have, uint256 need);
    error WrongPayment(uint256 sent, uint256 need);
    error NotSlotProvider();
    error NotChallenged();
    error AlreadyDone();
    error WindowOpen();
    error EntropyUnavailable();
    error BadHeader();
    error InvalidProof();
    error TransferFailed();

    constructor(
        address verifier_,
        uint256 slashPercentage_,
        uint256 rewardPercentage_,
        uint256 maxMissedProofs_,
        uint256 finishGrace_
    ) {
        if (verifier_.code.length == 0) revert InvalidParams("verifier has no code");
        if (slashPercentage_ == 0 || slashPercentage_ > 100) revert InvalidParams("slashPercentage not in 1..100");
        if (rewardPercentage_ > MAX_REWARD_PERCENTAGE) revert InvalidParams("rewardPercentage above 25");
        if (maxMissedProofs_ == 0) revert InvalidParams("maxMissedProofs is zero");
        if (finishGrace_ > 1 << 32) revert InvalidParams("finishGrace");
        verifier = IGroth16Verifier(verifier_);
        slashPercentage = slashPercentage_;
        rewardPercentage = rewardPercentage_;
        maxMissedProofs = maxMissedProofs_;
        finishGrace = finishGrace_;
    }

    // ---------------------------------------------------------------- registry

    /// Registers or updates the caller as a storage provider; value sent is deposited.
    function registerProvider(string calldata peerId, string[] calldata addrs, uint256 price) external payable {
        if (bytes(peerId).length == 0 || bytes(peerId).length > MAX_PEER_BYTES) revert InvalidParams("peerId");
        if (addrs.length > 16) revert InvalidParams("too many addrs");
        Provider storage p = providers[msg.sender];
        p.peerId = peerId;
        delete p.addrs;
        for (uint256 i = 0; i < addrs.length; i++) {
            if (bytes(addrs[i]).length > MAX_PEER_BYTES) revert InvalidParams("addr");
            p.addrs.push(addrs[i]);
        }
        p.price = price;
        p.registered = true;
        emit ProviderRegistered(msg.sender, peerId, addrs, price);
        _deposit();
    }

    function getProvider(address provider) external view returns (Provider memory) {
        return providers[provider];
    }

    function deposit() external payable {
        _deposit();
    }

    /// Sends the caller's whole free balance (payments, rewards, refunds, returned collateral).
    function withdraw() external {
        uint256 amount = balances[msg.sender];
        balances[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    // ---------------------------------------------------------------- requests

    /// Creates a storage request. msg.value must be pricePerPeriod * (k+m) * duration:
    /// the client's payment, held in escrow and paid out per proven period.
    function createRequest(RequestParams calldata p) external payable returns (bytes32 id) {
        uint256 n = uint256(p.k) + uint256(p.m);
        if (p.k == 0 || n > MAX_SLOTS) revert InvalidParams("k+m");
        if (p.slotRoots.length != n) revert InvalidParams("slotRoots length");
        if (p.hosts.length != 0 && p.hosts.length != n) revert InvalidParams("hosts length");
        if (p.rootCid.length == 0 || p.rootCid.length > MAX_CID_BYTES) revert InvalidParams("rootCid");
        if (p.manifestCid.length > MAX_CID_BYTES) revert InvalidParams("manifestCid");
        if (p.duration == 0) revert InvalidParams("duration");
        if (p.proofPeriod < 2 || p.proofPeriod > MAX_PROOF_PERIOD) revert InvalidParams("proofPeriod");
        if (p.proofProbability == 0) revert InvalidParams("proofProbability");
        for (uint256 i = 0; i < n; i++) {
            if (p.slotRoots[i] >= FIELD_MODULUS) revert InvalidParams("slot root not in field");
        }
        uint256 escrow = p.pricePerPeriod * n * p.duration;
        if (msg.value != escrow) revert WrongPayment(msg.value, escrow);

        id = keccak256(abi.encode(block.chainid, address(this), msg.sender, nonces[msg.sender]++));
        Request storage r = requests[id];
        r.client = msg.sender;
        r.rootCid = p.rootCid;
        r.manifestCid = p.manifestCid;
        r.size = p.size;
        r.k = p.k;
        r.m = p.m;
        r.proofPeriod = p.proofPeriod;
        r.proofProbability = p.proofProbability;
        uint64 start = uint64(block.number / p.proofPeriod) + 1;
        r.startPeriod = start;
        r.endPeriod = start + p.duration;
        r.pricePerPeriod = p.pricePerPeriod;
        r.collateral = p.collateral;
        r.escrow = escrow;
        r.slotRoots = p.slotRoots;
        r.hosts = p.hosts;
        emit RequestCreated(id, msg.sender, p.rootCid, p.manifestCid, p.k, p.m, start, start + p.duration, escrow);
    }

    /// The request as stored (all zero for an unknown id), finished or not.
    function getRequest(bytes32 id) external view returns (Request memory) {
        return requests[id];
    }

    function getSlot(bytes32 id, uint256 slotIndex) external view returns (Slot memory) {
        return slots[id][slotIndex];
    }

    /// Fills a slot of a request; the request's collateral is taken from the caller's
    /// balance, topped up by msg.value.
    function fillSlot(bytes32 id, uint256 slotIndex) external payable {
        Request storage r = _request(id);
        if (slotIndex >= r.slotRoots.length) revert BadSlot();
        if (!providers[msg.sender].registered) revert NotRegistered();
        if (r.hosts.length != 0 && r.hosts[slotIndex] != address(0) && r.hosts[slotIndex] != msg.sender) revert NotHost();
        uint64 period = uint64(block.number / r.proofPeriod);
        if (period + 1 >= r.endPeriod) revert TooLate(); // nothing left to prove
        Slot storage s = slots[id][slotIndex];
        if (s.provider != address(0)) revert SlotTaken();
        if (holdsSlot[id][msg.sender]) revert AlreadyHoldsSlot();
        _deposit();
        uint256 have = balances[msg.sender];
        if (have < r.collateral) revert InsufficientCollateral(have, r.collateral);
        balances[msg.sender] = have - r.collateral;
        s.provider = msg.sender;
        s.filledPeriod = period;
        s.proven = 0;
        s.missed = 0;
        s.collateral = r.collateral;
        holdsSlot[id][msg.sender] = true;
        emit SlotFilled(id, slotIndex, msg.sender, r.collateral);
        if (repairOpen[id][slotIndex]) _repaired(id, slotIndex);
    }

    // ---------------------------------------------------------------- challenges

    function currentPeriod(bytes32 id) public view returns (uint64) {
        return uint64(block.number / _request(id).proofPeriod);
    }

    /// The entropy of a period: the prevrandao (mixHash) of the period's first block,
    /// mixed with the period's length and number, as recorded, or else read from
    /// header, the RLP of that block's header, checked against its hash (available for
    /// 256 blocks). The period's first block comes after every fill that the period
    /// challenges, and neither its builder nor the client chooses its RANDAO value.
    function periodEntropy(uint64 proofPeriod, uint64 period, bytes calldata header) public view returns (bytes32) {
        bytes32 e = recordedEntropy[proofPeriod][period];
        if (e != bytes32(0)) return e;
        uint256 start = uint256(period) * proofPeriod;
        if (start == 0 || start >= block.number) revert EntropyUnavailable();
        bytes32 h = blockhash(start);
        if (h == bytes32(0)) revert EntropyUnavailable();
        if (header.length == 0) revert EntropyUnavailable();
        if (keccak256(header) != h) revert BadHeader();
        return keccak256(abi.encode(_mixHash(header), proofPeriod, period));
    }

    /// Records a period's entropy (see periodEntropy) so that it outlives the block
    /// hash window. Proofs and reports record it too; anyone may call this.
    function recordEntropy(uint64 proofPeriod, uint64 period, bytes calldata header) external returns (bytes32) {
        return _useEntropy(proofPeriod, period, header);
    }

    /// The public challenge input of the proof: keccak256(entropy, requestId, slotIndex, provider) mod R.
    function challengeValue(bytes32 entropy, bytes32 id, uint256 slotIndex, address provider) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(entropy, id, slotIndex, provider))) % FIELD_MODULUS;
    }

    /// Whether the slot is challenged in the given period, given the period's entropy.
    function isChallenged(bytes32 id, uint256 slotIndex, uint64 period, bytes32 entropy) public view returns (bool) {
        Request storage r = _request(id);
        Slot storage s = slots[id][slotIndex];
        if (s.provider == address(0) || period <= s.filledPeriod) return false;
        if (period < r.startPeriod || period >= r.endPeriod || r.finished) return false;
        if (r.proofProbability <= 1) return true;
        return uint256(keccak256(abi.encode(entropy, id, slotIndex))) % r.proofProbability == 0;
    }

    /// The challenge a slot's provider must answer in the current period, given the header
    /// of the period's first block (ignored once the entropy is recorded; the entropy is
    /// zero in the period's first block, whose header is not final yet). deadline is the
    /// last block in which a proof is accepted.
    function getChallenge(bytes32 id, uint256 slotIndex, bytes calldata header)
        external
        view
        returns (bool required, uint64 period, bytes32 entropy, uint256 challenge, uint256 deadline, uint8 state)
    {
        Request storage r = _request(id);
        period = uint64(block.number / r.proofPeriod);
        deadline = (uint256(period) + 1) * r.proofPeriod - 1;
        if (period > 0 && uint256(period) * r.proofPeriod < block.number) {
            entropy = periodEntropy(r.proofPeriod, period, header);
        }
        required = isChallenged(id, slotIndex, period, entropy);
        challenge = challengeValue(entropy, id, slotIndex, slots[id][slotIndex].provider);
        state = periodState[id][slotIndex][period];
    }

    /// Submits a proof for the current period; it is checked by the Groth16 verifier
    /// against (slot root, challenge) and paid from the escrow. header is the RLP header
    /// of the period's first block, needed only by the period's first proof or report.
    function submitProof(bytes32 id, uint256 slotIndex, bytes calldata proof, bytes calldata header) external {
        Request storage r = _request(id);
        Slot storage s = slots[id][slotIndex];
        if (s.provider != msg.sender) revert NotSlotProvider();
        uint64 period = uint64(block.number / r.proofPeriod);
        bytes32 entropy = _useEntropy(r.proofPeriod, period, header);
        if (!isChallenged(id, slotIndex, period, entropy)) revert NotChallenged();
        if (periodState[id][slotIndex][period] != STATE_NONE) revert AlreadyDone();
        uint256 challenge = challengeValue(entropy, id, slotIndex, msg.sender);
        try verifier.verifyProof(proof, [r.slotRoots[slotIndex], challenge]) {}
        catch {
            revert InvalidProof();
        }
        periodState[id][slotIndex][period] = STATE_PROVEN;
        s.proven++;
        uint256 payment = _payment(r, s);
        s.paid += payment;
        r.escrow -= payment;
        balances[msg.sender] += payment;
        emit ProofSubmitted(id, slotIndex, msg.sender, period, challenge, payment, proof);
    }

    /// Reports that the slot's provider did not prove a past period in which it was
    /// challenged: the provider is slashed (at least 1 wei while collateral is left), the
    /// caller rewarded with rewardPercentage of it (rounded down), the rest owed to the
    /// client, and the slot freed after maxMissedProofs misses, its host reservation (if
    /// any) cleared with it. header is as for submitProof, needed only when the request
    /// challenges at random (proofProbability > 1) and the period's entropy is not recorded.
    function markProofAsMissing(bytes32 id, uint256 slotIndex, uint64 period, bytes calldata header) external {
        Request storage r = _request(id);
        Slot storage s = slots[id][slotIndex];
        if (s.provider == address(0)) revert SlotNotFilled();
        if (period >= block.number / r.proofPeriod) revert WindowOpen();
        bytes32 entropy;
        if (r.proofProbability > 1) entropy = _useEntropy(r.proofPeriod, period, header);
        if (!isChallenged(id, slotIndex, period, entropy)) revert NotChallenged();
        if (periodState[id][slotIndex][period] != STATE_NONE) revert AlreadyDone();
        periodState[id][slotIndex][period] = STATE_MISSED;
        s.missed++;

        // Rounded up, so that a small collateral is not slashed by zero.
        uint256 slashed = (r.collateral * slashPercentage + 99) / 100;
        if (slashed > s.collateral) slashed = s.collateral;
        uint256 reward = slashed * rewardPercentage / 100;
        s.collateral -= slashed;
        r.compensation += slashed - reward;
        balances[msg.sender] += reward;
        address provider = s.provider;
        emit ProofMissed(id, slotIndex, provider, period, msg.sender, slashed, reward);

        if (s.missed >= maxMissedProofs) {
            uint256 forfeited = s.collateral;
            r.compensation += forfeited;
            holdsSlot[id][provider] = false;
            s.provider = address(0);
            s.collateral = 0;
            s.filledPeriod = 0;
            // The reservation goes with the evicted host: any provider may take the slot over.
            if (r.hosts.length != 0 && r.hosts[slotIndex] != address(0)) r.hosts[slotIndex] = address(0);
            emit SlotFreed(id, slotIndex, provider, forfeited);
            _openRepair(r, id, slotIndex, provider);
        }
    }

    /// The first block in which finishRequest accepts the request: one period (the window
    /// for reporting the last period's misses) plus finishGrace blocks after its end.
    function finishBlock(bytes32 id) public view returns (uint256) {
        Request storage r = _request(id);
        return (uint256(r.endPeriod) + 1) * r.proofPeriod + finishGrace;
    }

    /// Ends a request from finishBlock on: collateral goes back to the providers, unspent
    /// escrow and slashed collateral to the client.
    function finishRequest(bytes32 id) external {
        Request storage r = _request(id);
        if (block.number < finishBlock(id)) revert RequestNotEnded();
        r.finished = true;
        _settle(r, id);
    }

    /// Returns the providers' collateral and refunds the client the escrow left, the
    /// compensation and the rewards of repairs nobody made.
    function _settle(Request storage r, bytes32 id) internal {
        uint256 n = r.slotRoots.length;
        uint256 unclaimed = 0;
        for (uint256 i = 0; i < n; i++) {
            Slot storage s = slots[id][i];
            if (s.provider == address(0)) {
                unclaimed += repairReward[id][i];
                repairReward[id][i] = 0;
                repairOpen[id][i] = false;
                continue;
            }
            uint256 amount = s.collateral;
            s.collateral = 0;
            balances[s.provider] += amount;
            emit CollateralReturned(id, i, s.provider, amount);
        }
        uint256 refund = r.escrow + r.compensation + unclaimed;
        r.escrow = 0;
        r.compensation = 0;
        balances[r.client] += refund;
        emit RequestFinished(id, r.client, refund);
    }

    // ---------------------------------------------------------------- repair

    /// Opens a freed slot for repair: REPAIR_REWARD_PERCENTAGE of the request's collateral is
    /// set aside, out of the compensation the slash added, for the provider that refills it.
    /// A request that lost more than m slots can no longer be read back: it fails.
    function _openRepair(Request storage r, bytes32 id, uint256 slotIndex, address former) internal {
        uint256 reward = r.collateral * REPAIR_REWARD_PERCENTAGE / 100;
        if (reward > r.compensation) reward = r.compensation;
        r.compensation -= reward;
        repairReward[id][slotIndex] = reward;
        repairOpen[id][slotIndex] = true;
        uint32 lost = ++lostSlots[id];
        emit SlotRepairOpened(id, slotIndex, former, reward, lost);
        if (lost > r.m) {
            r.finished = true;
            emit RequestFailed(id, r.client, lost);
            _settle(r, id);
        }
    }

    /// Closes the repair of a slot just refilled by msg.sender, paying it the reward.
    function _repaired(bytes32 id, uint256 slotIndex) internal {
        uint256 reward = repairReward[id][slotIndex];
        repairReward[id][slotIndex] = 0;
        repairOpen[id][slotIndex] = false;
        lostSlots[id]--;
        balances[msg.sender] += reward;
        emit SlotRepaired(id, slotIndex, msg.sender, reward);
    }

    // ---------------------------------------------------------------- internal

    function _request(bytes32 id) internal view returns (Request storage r) {
        r = requests[id];
        if (r.client == address(0)) revert UnknownRequest();
        if (r.finished) revert RequestIsFinished();
    }

    /// The period's entropy, recorded at its first use.
    function _useEntropy(uint64 proofPeriod, uint64 period, bytes calldata header) internal returns (bytes32 e) {
        e = recordedEntropy[proofPeriod][period];
        if (e != bytes32(0)) return e;
        e = periodEntropy(proofPeriod, period, header);
        recordedEntropy[proofPeriod][period] = e;
        emit EntropyRecorded(proofPeriod, period, e);
    }

    /// The mixHash (prevrandao since the merge) of an RLP block header: its 14th field.
    /// Called only on a header whose hash is a block hash, so it is well formed; a
    /// malformed one reverts on the calldata bounds.
    function _mixHash(bytes calldata h) internal pure returns (bytes32 mix) {
        (uint256 at,) = _rlpHead(h, 0); // into the list
        for (uint256 i = 0; i < 13; i++) {
            (uint256 body, uint256 len) = _rlpHead(h, at);
            at = body + len;
        }
        (uint256 b, uint256 l) = _rlpHead(h, at);
        if (l != 32) revert BadHeader();
        mix = bytes32(h[b:b + 32]);
    }

    /// The offset and length of the body of the RLP item at i (for a list, its items).
    function _rlpHead(bytes calldata h, uint256 i) internal pure returns (uint256 body, uint256 len) {
        uint256 p = uint8(h[i]);
        if (p < 0x80) return (i, 1);
        if (p <= 0xb7) return (i + 1, p - 0x80);
        if (p < 0xc0) return (i + 1 + (p - 0xb7), _beUint(h[i + 1:i + 1 + (p - 0xb7)]));
        if (p <= 0xf7) return (i + 1, p - 0xc0);
        return (i + 1 + (p - 0xf7), _beUint(h[i + 1:i + 1 + (p - 0xf7)]));
    }

    function _beUint(bytes calldata b) internal pure returns (uint256 v) {
        if (b.length > 4) revert BadHeader();
        for (uint256 i = 0; i < b.length; i++) v = (v << 8) | uint8(b[i]);
    }

    function _deposit() internal {
        if (msg.value == 0) return;
        balances[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    /// A proof pays for the periods it stands for (proofProbability of them), within
    /// the slot's share of the escrow.
    function _payment(Request storage r, Slot storage s) internal view returns (uint256) {
        uint256 budget = r.pricePerPeriod * (uint256(r.endPeriod) - r.startPeriod);
        uint256 due = r.pricePerPeriod * r.proofProbability;
        uint256 left = budget - s.paid;
        return due < left ? due : left;
    }
}
