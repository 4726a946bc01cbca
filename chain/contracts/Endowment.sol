// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The part of the Marketplace an endowment uses (see Marketplace.sol).
interface IStorageMarket {
    struct RequestParams {
        bytes rootCid;
        bytes manifestCid;
        uint64 size;
        uint32 k;
        uint32 m;
        uint256[] slotRoots;
        address[] hosts;
        uint64 duration;
        uint64 proofPeriod;
        uint64 proofProbability;
        uint256 pricePerPeriod;
        uint256 collateral;
    }

    struct Slot {
        address provider;
        uint64 filledPeriod;
        uint32 proven;
        uint32 missed;
        uint256 collateral;
        uint256 paid;
    }

    function createRequest(RequestParams calldata p) external payable returns (bytes32 id);
    function getSlot(bytes32 id, uint256 slotIndex) external view returns (Slot memory);
    function finishRequest(bytes32 id) external;
    function finishBlock(bytes32 id) external view returns (uint256);
    function withdraw() external;
    function balances(address account) external view returns (uint256);
}

/// @title dstore permanent storage endowment
/// @notice A client pays once. The endowment holds the payment and is the client of one storage
/// request per term on the Marketplace: the Marketplace pays providers per proven period out of
/// the term's escrow; at the end of each term anyone may call renew, which settles the term
/// (what was not paid out comes back to the endowment) and offers the slots again, to any
/// provider, at the then-current price: today's price declining by `declinePpm` parts per million
/// a year. The payment must be at least the price of storing forever under that decline:
/// yearly cost / decline (the sum of a geometric series), about 200 years of today's price at
/// 0.5% a year.
contract Endowment {
    uint256 internal constant PPM = 1_000_000;
    uint256 internal constant ONE = 1e18;
    uint256 public constant MIN_DECLINE_PPM = 100; // 0.01% a year
    uint256 public constant MAX_DECLINE_PPM = 500_000; // 50% a year

    struct Deal {
        address owner;
        uint64 created; // block
        uint64 termPeriods; // periods per term
        uint64 terms; // requests made so far
        uint32 declinePpm; // assumed yearly decline of the price of storage
        bool exhausted; // the balance no longer pays one period: no more terms
        uint256 basePrice; // per slot per period, at creation
        uint256 balance; // the endowment left, in wei
        uint256 spent; // paid into terms' escrows, ever
        uint256 refunded; // returned by finished terms, ever
        bytes32 current; // the current term's request
        uint256 termEscrow; // what the current term's request holds
    }

    IStorageMarket public immutable market;
    uint64 public immutable blocksPerYear;

    mapping(bytes32 => Deal) internal deals;
    mapping(bytes32 => IStorageMarket.RequestParams) internal templates;
    uint256 public nonce;
    /// The deal each term's storage request belongs to.
    mapping(bytes32 => bytes32) public dealOf;
    /// Refunds swept in from the Marketplace that no deal has taken yet: those of terms settled by
    /// someone else before their deal renewed (finishRequest is open to anyone), until that deal
    /// renews, and the slashing compensation of such terms, which stays here.
    uint256 public unattributed;

    event DealCreated(bytes32 indexed dealId, address indexed owner, uint256 endowment, uint256 required, uint32 declinePpm);
    event TermStarted(bytes32 indexed dealId, bytes32 indexed requestId, uint64 term, uint256 pricePerPeriod, uint64 periods, uint256 escrow);
    event TermSettled(bytes32 indexed dealId, bytes32 indexed requestId, uint256 refund);
    event DealExhausted(bytes32 indexed dealId, uint256 balance);

    error InvalidParams(string reason);
    error WrongPayment(uint256 sent, uint256 need);
    error UnknownDeal();
    error TermNotOver(uint256 finishBlock);
    error Exhausted();

    constructor(IStorageMarket market_, uint64 blocksPerYear_) {
        if (address(market_) == address(0) || blocksPerYear_ == 0) revert InvalidParams("market or blocks per year");
        market = market_;
        blocksPerYear = blocksPerYear_;
    }

    /// The Marketplace pays refunds here.
    receive() external payable {
        if (msg.sender != address(market)) revert InvalidParams("payments come from the market");
    }

    /// The least endowment for a request's terms: its yearly cost at `p.pricePerPeriod` per slot
    /// per period, divided by the yearly decline.
    function required(IStorageMarket.RequestParams calldata p, uint32 declinePpm) public view returns (uint256) {
        uint256 periodsPerYear = blocksPerYear / p.proofPeriod;
        if (periodsPerYear == 0) periodsPerYear = 1;
        return p.pricePerPeriod * (uint256(p.k) + uint256(p.m)) * periodsPerYear * PPM / declinePpm;
    }

    /// Creates a permanent deal for a request (p.duration is the term, in periods; p.hosts are
    /// who may fill the first term's slots) paid once with the value sent, and starts its first
    /// term.
    function create(IStorageMarket.RequestParams calldata p, uint32 declinePpm) external payable returns (bytes32 id) {
        if (declinePpm < MIN_DECLINE_PPM || declinePpm > MAX_DECLINE_PPM) revert InvalidParams("declinePpm");
        if (p.pricePerPeriod == 0) revert InvalidParams("pricePerPeriod");
        uint256 need = required(p, declinePpm);
        if (msg.value < need) revert WrongPayment(msg.value, need);
        id = keccak256(abi.encode(block.chainid, address(this), msg.sender, nonce++));
        Deal storage d = deals[id];
        d.owner = msg.sender;
        d.created = uint64(block.number);
        d.termPeriods = p.duration;
        d.declinePpm = declinePpm;
        d.basePrice = p.pricePerPeriod;
        d.balance = msg.value;
        templates[id] = p;
        emit DealCreated(id, msg.sender, msg.value, need, declinePpm);
        _startTerm(id, d, p.hosts);
    }

    /// Settles the current term once the Marketplace accepts its settlement, takes back what it
    /// did not pay out, and offers the slots again to any provider at the then-current price.
    function renew(bytes32 id) external {
        Deal storage d = _deal(id);
        if (d.exhausted) revert Exhausted();
        // finishBlock reverts once the term is settled (by anyone): then it is over.
        try market.finishBlock(d.current) returns (uint256 fb) {
            if (block.number < fb) revert TermNotOver(fb);
        } catch {}
        uint256 before = market.balances(address(this));
        bool settledHere;
        try market.finishRequest(d.current) {
            settledHere = true;
        } catch {} // settled already: by a provider, or at once when the term failed
        uint256 swept = market.balances(address(this));
        if (swept > 0) market.withdraw();
        uint256 refund;
        if (settledHere) {
            refund = swept - before; // exactly what this term returned
        } else {
            // Its refund is in what was swept before or now: at least the escrow no slot was paid.
            refund = d.termEscrow;
            uint256 slots = uint256(templates[id].k) + uint256(templates[id].m);
            for (uint256 i = 0; i < slots; i++) {
                refund -= market.getSlot(d.current, i).paid;
            }
            if (refund > unattributed + before) refund = unattributed + before;
        }
        unattributed = unattributed + swept - refund;
        d.balance += refund;
        d.refunded += refund;
        emit TermSettled(id, d.current, refund);
        _startTerm(id, d, new address[](0));
    }

    function _startTerm(bytes32 id, Deal storage d, address[] memory hosts) internal {
        IStorageMarket.RequestParams memory p = templates[id];
        uint256 slots = uint256(p.k) + uint256(p.m);
        p.pricePerPeriod = priceAt(id, block.number);
        p.hosts = hosts;
        uint256 perPeriod = p.pricePerPeriod * slots;
        uint64 periods = d.termPeriods;
        if (perPeriod * periods > d.balance) periods = uint64(d.balance / perPeriod);
        if (periods == 0) {
            d.exhausted = true;
            emit DealExhausted(id, d.balance);
            return;
        }
        p.duration = periods;
        uint256 escrow = perPeriod * periods;
        d.balance -= escrow;
        d.spent += escrow;
        d.termEscrow = escrow;
        d.terms++;
        d.current = market.createRequest{value: escrow}(p);
        dealOf[d.current] = id;
        emit TermStarted(id, d.current, d.terms, p.pricePerPeriod, periods, escrow);
    }

    /// The price per slot per period the deal offers at a block: its base price declined by
    /// declinePpm for every whole year since the deal's creation (never below 1 wei).
    function priceAt(bytes32 id, uint256 blockNumber) public view returns (uint256) {
        Deal storage d = _deal(id);
        uint256 years_ = blockNumber > d.created ? (blockNumber - d.created) / blocksPerYear : 0;
        uint256 p = d.basePrice * _pow((PPM - d.declinePpm) * (ONE / PPM), years_) / ONE;
        return p == 0 ? 1 : p;
    }

    /// x^n in 18-decimal fixed point, by squaring (x at most ONE).
    function _pow(uint256 x, uint256 n) internal pure returns (uint256 r) {
        r = ONE;
        while (n > 0) {
            if (n & 1 == 1) r = r * x / ONE;
            x = x * x / ONE;
            n >>= 1;
        }
    }

    /// A deal's state.
    function getDeal(bytes32 id) external view returns (Deal memory) {
        return _deal(id);
    }

    function _deal(bytes32 id) internal view returns (Deal storage d) {
        d = deals[id];
        if (d.owner == address(0)) revert UnknownDeal();
    }
}
